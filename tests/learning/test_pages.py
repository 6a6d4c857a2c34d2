"""Every learning page inherits the page suite (tests/pages/scoped.py): it renders for
hospital A, answers 404 to hospital B's user, and keeps its query count as rows grow."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.accounts.models import Role
from dangjian.learning import services
from dangjian.meetings.models import Study
from tests.learning.builders import a_bank, a_course, a_learner, an_exam, right_answers
from tests.pages.scoped import ScopedPageTest
from tests.pages.world import add_members

pytestmark = pytest.mark.django_db


def _course(world):
    if not hasattr(world, "course"):
        world.course = a_course(world.ha, title="医院党课：学习党章")
        world.questions = a_bank(world.ha)
        an_exam(world.course, world.questions)
    return world.course


def _member(world):
    if not hasattr(world, "member"):
        world.member = a_learner(world.ha_b1, "learner-a")
    return world.member


def _takers(world, n):
    """n more members of branch 1 who passed the course's exam."""
    course = _course(world)
    for i in range(n):
        person = a_learner(world.ha_b1, f"taker-{course.completions.count()}-{i}")
        attempt = services.start_attempt(course.exam, person)
        services.submit_attempt(attempt, right_answers(world.questions))


class TestCourseList(ScopedPageTest):
    outsider_status = 200  # B's office sees its own (empty) list
    expected_text = ("医院党课：学习党章", "发布课程")

    def url(self, world):
        _course(world)
        return reverse("learning:courses")

    def grow(self, world, n):
        for i in range(n):
            a_course(world.ha_b1, title=f"支部课程{world.ha_b1.courses.count()}-{i}")
        _takers(world, n)

    def private_text(self, world):
        return "医院党课：学习党章"


class TestCourseListOfAnotherHospital(TestCourseList):
    outsider_status = 404

    def url(self, world):
        _course(world)
        return reverse("learning:courses") + f"?org={world.ha.code}"


class TestCourseDetail(ScopedPageTest):
    expected_text = ("医院党课：学习党章", "上传资料", "修改考试")

    def url(self, world):
        return reverse("learning:course", args=[_course(world).pk])

    def grow(self, world, n):
        course = _course(world)
        for i in range(n):
            services.add_video(course, title=f"视频{i}", url=f"https://example.org/{i}")
            services.add_documents(course, [SimpleUploadedFile(f"资料{i}.pdf", b"%PDF-1.4")])


class TestCourseDetailForTheMember(TestCourseDetail):
    viewer_role = Role.MEMBER
    expected_text = ("医院党课：学习党章", "参加考试")

    def viewer(self, world):
        return _member(world).user


class TestCourseEdit(ScopedPageTest):
    expected_text = ("修改课程", "医院党课：学习党章")

    def url(self, world):
        return reverse("learning:course_edit", args=[_course(world).pk])

    def grow(self, world, n):
        _takers(world, n)


class TestDocument(ScopedPageTest):
    def url(self, world):
        course = _course(world)
        if not course.documents.exists():
            services.add_documents(course, [SimpleUploadedFile("资料.pdf", b"%PDF-1.4")])
        return reverse("learning:document", args=[course.documents.first().pk])

    def grow(self, world, n):
        _course(world)


class TestBank(ScopedPageTest):
    expected_text = ("题库", "党的最高理想是？", "添加题目")

    def url(self, world):
        _course(world)
        return reverse("learning:bank") + f"?org={world.ha.code}"

    def grow(self, world, n):
        for _ in range(n):
            a_bank(world.ha)


class TestQuestionEdit(ScopedPageTest):
    expected_text = ("修改题目", "党的最高理想是？")

    def url(self, world):
        _course(world)
        return reverse("learning:question_edit", args=[world.questions[0].pk])

    def grow(self, world, n):
        _course(world)
        a_course(world.ha, title=f"课程{n}")  # the form lists the hospital's courses


class TestExamEdit(ScopedPageTest):
    expected_text = ("考试设置", "三会一课包括？")

    def url(self, world):
        return reverse("learning:exam_edit", args=[_course(world).pk])

    def grow(self, world, n):
        _course(world)
        for _ in range(n):
            a_bank(world.ha)


class TestResults(ScopedPageTest):
    expected_text = ("考试成绩", "参考人数", "通过")

    def url(self, world):
        return reverse("learning:results", args=[_course(world).pk])

    def grow(self, world, n):
        _takers(world, n)


class TestResultsExport(TestResults):
    def url(self, world):
        return reverse("learning:results_export", args=[_course(world).pk])


class TestFigures(ScopedPageTest):
    expected_text = ("学习统计", "人均学时", "HA心内科党支部")

    def url(self, world):
        return reverse("learning:figures") + f"?org={world.ha.code}"

    def grow(self, world, n):
        add_members(world.ha_b1, n)
        _takers(world, n)


class TestStudyCreditSettings(ScopedPageTest):
    expected_text = ("学时计入设置", "党课", "主题党日")

    def url(self, world):
        return reverse("meetings:study_credit") + f"?org={world.ha.code}"

    def grow(self, world, n):
        add_members(world.ha_b1, n)


class TestTake(ScopedPageTest):
    viewer_role = Role.MEMBER
    expected_text = ("交卷", "三会一课包括？")

    def viewer(self, world):
        return _member(world).user

    def url(self, world):
        course = _course(world)
        services.start_attempt(course.exam, _member(world))
        return reverse("learning:take", args=[course.pk])

    def grow(self, world, n):
        _takers(world, n)


class TestMine(ScopedPageTest):
    viewer_role = Role.MEMBER
    expected_text = ("我的学习", "医院党课：学习党章", "目标 32 学时")

    def viewer(self, world):
        return _member(world).user

    def url(self, world):
        _course(world)
        return reverse("learning:mine")

    def grow(self, world, n):
        member = _member(world)
        for i in range(n):
            course = a_course(world.ha_b1, title=f"支部课程{i}-{Study.objects.count()}")
            services.complete_course(course, member)


class TestMyResults(TestMine):
    expected_text = ("我的考试成绩", "医院党课：学习党章")

    def url(self, world):
        _course(world)
        return reverse("learning:my_results")

    def grow(self, world, n):
        member, course = _member(world), _course(world)
        for _ in range(n):
            attempt = services.start_attempt(course.exam, member)
            services.submit_attempt(attempt, {})  # a fail: the member may take it again


def test_an_attempt_is_its_members_only(client, world):
    member, other = _member(world), a_learner(world.ha_b1, "learner-other")
    course = _course(world)
    attempt = services.submit_attempt(
        services.start_attempt(course.exam, member), right_answers(world.questions)
    )
    url = reverse("learning:attempt", args=[attempt.pk])
    client.force_login(member.user)
    page = client.get(url).content.decode()
    assert "100 分" in page and "党章总纲" in page  # passed: the score and an explanation
    client.force_login(other.user)
    assert client.get(url).status_code == 404
    client.force_login(world.user("office", "B"))
    assert client.get(url).status_code == 404


def test_a_failed_attempt_hides_the_answers_until_no_retry_is_left(client, world):
    member, course = _member(world), _course(world)
    course.exam.max_attempts = 2
    course.exam.save()
    client.force_login(member.user)
    for shown in (False, True):
        attempt = services.submit_attempt(services.start_attempt(course.exam, member), {})
        page = client.get(reverse("learning:attempt", args=[attempt.pk])).content.decode()
        assert ("党章总纲" in page) is shown and ("正确答案 A" in page) is shown


def test_every_path_is_404_for_another_hospitals_office(client, world):
    course = _course(world)
    services.add_documents(course, [SimpleUploadedFile("资料.pdf", b"%PDF-1.4")])
    client.force_login(world.user("office", "B"))
    paths = [
        reverse("learning:course", args=[course.pk]),
        reverse("learning:take", args=[course.pk]),
        reverse("learning:exam_edit", args=[course.pk]),
        reverse("learning:course_edit", args=[course.pk]),
        reverse("learning:results", args=[course.pk]),
        reverse("learning:results_export", args=[course.pk]),
        reverse("learning:document", args=[course.documents.get().pk]),
        reverse("learning:question_edit", args=[world.questions[0].pk]),
        reverse("learning:bank") + f"?org={world.ha.code}",
        reverse("learning:figures") + f"?org={world.ha.code}",
        reverse("learning:course_new") + f"?org={world.ha.code}",
        reverse("learning:question_new") + f"?org={world.ha.code}",
        reverse("meetings:study_credit") + f"?org={world.ha.code}",
    ]
    for path in paths:
        assert client.get(path).status_code == 404, path
    for name in ("learning:add_documents", "learning:add_video", "learning:complete"):
        assert client.post(reverse(name, args=[course.pk])).status_code == 404, name
    assert client.get(reverse("learning:mine")).status_code == 404  # no person of their own
