"""The learning pages as their users drive them: the office publishes a course, adds a
question and an exam (bad input answered in Chinese, nothing saved); the member completes
a course, takes an exam on the server's scoring and sees the hours grow."""

import pytest
from django.urls import reverse

from dangjian.learning.models import Attempt, Course, Exam, Question
from dangjian.meetings.models import Study
from tests.learning.builders import YEAR, a_bank, a_course, a_learner, an_exam

pytestmark = pytest.mark.django_db


def test_the_office_publishes_a_course_and_bad_input_saves_nothing(client, world):
    client.force_login(world.user("office"))
    url = reverse("learning:course_new") + f"?org={world.ha.code}"
    bad = client.post(url, {"title": "学习党章", "hours": "1.2", "required": "1", "year": YEAR})
    assert "0.5 的整数倍" in bad.content.decode() and not Course.objects.exists()
    good = client.post(url, {"title": "学习党章", "hours": "2", "required": "0", "year": YEAR})
    course = Course.objects.get()
    assert good.url == reverse("learning:course", args=[course.pk]) and not course.required
    video = reverse("learning:add_video", args=[course.pk])
    page = client.post(video, {"title": "视频", "url": "javascript:alert(1)"}, follow=True)
    assert "http:// 或 https://" in page.content.decode() and not course.videos.exists()


def test_a_branch_secretary_publishes_for_the_branch_only(client, world):
    from dangjian.accounts.models import Role
    from tests.factories import make_user

    a_course(world.ha, title="医院必修课")
    a_course(world.ha_b2, title="二支部课程")
    client.force_login(make_user("sec-b1", Role.SECRETARY, world.ha_b1))
    assert client.get(reverse("learning:course_new")).status_code == 200  # their branch
    listing = client.get(reverse("learning:courses")).content.decode()
    assert "医院必修课" in listing and "二支部课程" not in listing
    ha = reverse("learning:course_new") + f"?org={world.ha.code}"
    assert client.get(ha).status_code == 404  # the hospital is outside their scope


def test_the_office_writes_questions_and_an_exam(client, world):
    client.force_login(world.user("office"))
    url = reverse("learning:question_new") + f"?org={world.ha.code}"
    data = {"kind": "multiple", "text": "三会一课包括？", "options": "支部党员大会\n职工大会\n党课"}
    bad = client.post(url, {**data, "answer": "AZ"})
    assert "选项字母" in bad.content.decode() and not Question.objects.exists()
    one = client.post(url, {**data, "answer": "A"})
    assert "至少两个正确答案" in one.content.decode() and not Question.objects.exists()
    assert client.post(url, {**data, "answer": "a, c"}).status_code == 302
    question = Question.objects.get()
    assert question.answer == [0, 2] and question.organization == world.ha
    course = a_course(world.ha)
    exam_url = reverse("learning:exam_edit", args=[course.pk])
    empty = client.post(exam_url, {"mode": "fixed", "pass_mark": 60})
    assert "请选择考试题目" in empty.content.decode() and not Exam.objects.exists()
    saved = client.post(
        exam_url, {"mode": "fixed", "pass_mark": 60, "questions": [question.pk], "max_attempts": 2}
    )
    assert saved.status_code == 302 and course.exam.questions.get() == question


def test_the_member_takes_the_exam_and_the_hours_grow(client, world):
    member = a_learner(world.ha_b1, "learner")
    course = a_course(world.ha, hours="3")
    single, multiple, true_false = a_bank(world.ha)
    an_exam(course, [single, multiple, true_false], pass_mark=100)
    client.force_login(member.user)
    mine = client.get(reverse("learning:mine")).content.decode()
    assert "已学 0.0 学时" in mine and "必修已完成 0 / 1" in mine
    take = reverse("learning:take", args=[course.pk])
    client.post(take, {"action": "start"})
    answers = {f"q-{single.pk}": "0", f"q-{multiple.pk}": ["0"], f"q-{true_false.pk}": "0"}
    failed = client.post(take, {"action": "submit", **answers})
    attempt = Attempt.objects.get()
    assert failed.url == reverse("learning:attempt", args=[attempt.pk]) and attempt.score == 67
    assert not Study.objects.exists()
    client.post(take, {"action": "start"})
    client.post(take, {"action": "submit", **answers, f"q-{multiple.pk}": ["0", "2"]})
    assert Attempt.objects.filter(passed=True).count() == 1
    mine = client.get(reverse("learning:mine")).content.decode()
    assert "已学 3.0 学时" in mine and "必修已完成 1 / 1" in mine
    # The hours are the same figure on the meetings page (one place counts them).
    assert "已学 3.0 学时" in client.get(reverse("meetings:my_study")).content.decode()


def test_the_member_completes_a_course_without_exam(client, world):
    member = a_learner(world.ha_b1, "learner")
    course = a_course(world.ha_b1, hours="1.5")
    client.force_login(member.user)
    page = client.get(reverse("learning:course", args=[course.pk])).content.decode()
    assert "我已学完" in page
    client.post(reverse("learning:complete", args=[course.pk]))
    client.post(reverse("learning:complete", args=[course.pk]))
    assert Study.objects.get(person=member).hours == 1.5
    other = a_learner(world.ha_b2, "learner-b2")
    client.force_login(other.user)
    assert client.get(reverse("learning:course", args=[course.pk])).status_code == 404


def test_the_results_count_takers_and_passers(client, world):
    from dangjian.learning import services
    from tests.learning.builders import right_answers

    course = a_course(world.ha)
    questions = a_bank(world.ha)
    exam = an_exam(course, questions)
    for i, good in enumerate((True, True, False)):
        person = a_learner(world.ha_b1, f"taker{i}")
        attempt = services.start_attempt(exam, person)
        services.submit_attempt(attempt, right_answers(questions) if good else {})
    client.force_login(world.user("office"))
    summary = client.get(reverse("learning:results", args=[course.pk])).context["summary"]
    assert (summary["takers"], summary["passers"]) == (3, 2)
    assert round(summary["pass_rate"], 3) == 0.667 and round(summary["average"], 1) == 66.7


def test_the_office_corrects_a_course_and_credited_hours_stay(client, world):
    from dangjian.learning import services

    member = a_learner(world.ha_b1, "learner")
    course = a_course(world.ha, hours="2")
    services.complete_course(course, member)
    client.force_login(world.user("office"))
    url = reverse("learning:course_edit", args=[course.pk])
    data = {"title": "学习党章（修订）", "hours": "3", "required": "1", "year": YEAR}
    bad = client.post(url, {**data, "hours": "30"})
    assert "不超过 24" in bad.content.decode()
    assert client.post(url, data).status_code == 302
    course.refresh_from_db()
    assert (course.title, course.hours) == ("学习党章（修订）", 3)
    assert Study.objects.get(person=member).hours == 2
    client.force_login(world.user("office", "B"))
    assert client.get(url).status_code == 404
