"""学习教育 through its services: publishing with bad input refused, completing a course
credits its hours once, exams scored on the server (multiple choice all or nothing),
the attempts limit and the time window, and the question bank's rules."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.core.models import AuditEntry
from dangjian.learning import services
from dangjian.learning.models import Attempt, Completion, Course, CourseDocument, CourseVideo
from dangjian.learning.rules import DrawMode, QuestionKind
from dangjian.learning.services import LearningError, QuestionInput
from dangjian.meetings.models import Study, StudyKind
from dangjian.meetings.queries import study_hours
from tests.learning.builders import YEAR, a_bank, a_course, a_learner, an_exam, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def ha(world):
    return world.ha


def _hours(person) -> float:
    return study_hours([person.pk], timezone.localdate().year).get(person.pk, 0.0)


def test_publishing_refuses_bad_input_and_writes_nothing(ha):
    with pytest.raises(LearningError, match="请填写课程名称.*0.5 的整数倍"):
        services.publish_course(ha, title=" ", hours="1.2", required=True, year=YEAR)
    assert not Course.objects.exists()


def test_materials_keep_the_upload_checks_and_http_links_only(ha):
    course = a_course(ha)
    good = SimpleUploadedFile("学习材料.pdf", b"%PDF-1.4 demo", content_type="application/pdf")
    bad = SimpleUploadedFile("脚本.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(LearningError, match="不支持的文件类型"):
        services.add_documents(course, [good, bad])
    assert not CourseDocument.objects.exists()  # all or none
    services.add_documents(course, [SimpleUploadedFile("材料.docx", b"PK demo")])
    assert course.documents.get().original_name == "材料.docx"
    with pytest.raises(LearningError, match="http:// 或 https://"):
        services.add_video(course, title="视频", url="javascript:alert(1)")
    assert not CourseVideo.objects.exists()
    services.add_video(course, title="视频", url="https://example.org/v/1")


def test_completing_a_course_credits_its_hours_once(world):
    member = a_learner(world.ha_b1, "learner")
    course = a_course(world.ha, hours="3")
    services.complete_course(course, member)
    services.complete_course(course, member)  # twice: still once
    study = Completion.objects.get(course=course, person=member).study
    assert (study.kind, study.hours, study.meeting) == (StudyKind.ONLINE, 3, None)
    assert Study.objects.filter(person=member).count() == 1 and _hours(member) == 3.0
    assert AuditEntry.objects.filter(action="study.course").exists()


def test_a_course_for_another_branch_cannot_be_completed(world):
    member = a_learner(world.ha_b1, "learner")
    course = a_course(world.ha_b2)
    with pytest.raises(LearningError, match="不面向"):
        services.complete_course(course, member)
    assert not Study.objects.exists()


def test_a_course_with_an_exam_is_completed_by_passing_it(world):
    member = a_learner(world.ha_b1, "learner")
    course = a_course(world.ha, hours="2")
    questions = a_bank(world.ha)
    exam = an_exam(course, questions, pass_mark=60)
    with pytest.raises(LearningError, match="须通过考试"):
        services.complete_course(course, member)
    attempt = services.start_attempt(exam, member)
    assert attempt.question_ids == [q.pk for q in questions]
    answers = right_answers(questions)
    answers[str(questions[1].pk)] = ["0"]  # multiple choice, one right option missing
    done = services.submit_attempt(attempt, answers)
    assert (done.score, done.passed) == (67, True)
    assert _hours(member) == 2.0
    with pytest.raises(LearningError, match="已通过"):
        services.start_attempt(exam, member)


def test_a_failed_attempt_credits_nothing_and_the_limit_holds(world):
    member = a_learner(world.ha_b1, "learner")
    course = a_course(world.ha)
    questions = a_bank(world.ha)
    exam = an_exam(course, questions, pass_mark=100, max_attempts=2)
    for number in (1, 2):
        attempt = services.start_attempt(exam, member)
        assert attempt.number == number
        wrong = {str(questions[0].pk): ["1"]}  # one wrong, two unanswered
        assert services.submit_attempt(attempt, wrong).score == 0
    with pytest.raises(LearningError, match="次数上限"):
        services.start_attempt(exam, member)
    assert Attempt.objects.filter(person=member).count() == 2 and _hours(member) == 0.0


def test_starting_twice_resumes_the_open_attempt_and_a_second_submit_is_refused(world):
    member = a_learner(world.ha_b1, "learner")
    questions = a_bank(world.ha)
    exam = an_exam(a_course(world.ha), questions)
    first = services.start_attempt(exam, member)
    assert services.start_attempt(exam, member).pk == first.pk
    services.submit_attempt(first, right_answers(questions))
    with pytest.raises(LearningError, match="不能重复提交"):
        services.submit_attempt(first, {})


def test_the_window_refuses_early_starts_and_late_submissions(world):
    member = a_learner(world.ha_b1, "learner")
    questions = a_bank(world.ha)
    now = timezone.now()
    exam = an_exam(
        a_course(world.ha), questions, opens_at=now + dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(hours=2),
    )  # fmt: skip
    with pytest.raises(LearningError, match="尚未开始"):
        services.start_attempt(exam, member)
    attempt = services.start_attempt(exam, member, now=now + dt.timedelta(minutes=90))
    with pytest.raises(LearningError, match="已结束"):
        services.submit_attempt(attempt, right_answers(questions), now=now + dt.timedelta(hours=3))
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and not Completion.objects.exists()


def test_an_answer_outside_the_options_changes_nothing(world):
    member = a_learner(world.ha_b1, "learner")
    questions = a_bank(world.ha)
    attempt = services.start_attempt(an_exam(a_course(world.ha), questions), member)
    with pytest.raises(LearningError, match="不是题目中的选项"):
        services.submit_attempt(attempt, {str(questions[0].pk): ["7"]})
    with pytest.raises(LearningError, match="答案格式"):
        services.submit_attempt(attempt, {str(questions[0].pk): ["甲"]})
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_a_random_exam_draws_from_the_courses_questions(world):
    member = a_learner(world.ha_b1, "learner")
    course = a_course(world.ha)
    tagged = a_bank(world.ha, course=course)
    a_bank(world.ha)  # not tagged: never drawn
    with pytest.raises(LearningError, match="只有 3 道"):
        services.set_exam(course, mode=DrawMode.RANDOM, draw_count=4)
    exam = services.set_exam(course, mode=DrawMode.RANDOM, draw_count=2)
    attempt = services.start_attempt(exam, member)
    assert len(attempt.question_ids) == 2
    assert set(attempt.question_ids) <= {q.pk for q in tagged}


def test_an_exam_takes_only_its_hospitals_questions(world):
    course = a_course(world.ha)
    theirs = a_bank(world.hb)
    with pytest.raises(LearningError, match="本院题库"):
        an_exam(course, theirs)


def test_a_badly_written_question_is_refused(ha):
    with pytest.raises(LearningError, match="至少两个正确答案"):
        services.save_question(ha, QuestionInput(QuestionKind.MULTIPLE, "题", ["甲", "乙"], [0]))
    assert not ha.questions.exists()
