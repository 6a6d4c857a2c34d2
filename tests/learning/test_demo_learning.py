"""The demo's learning: hours credited from the held 党课 and 主题党日 to those present,
courses with a video link and a PDF or Word material, a ten-question bank and an exam
others took; the demo member has a required course and an exam still to take."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from dangjian.learning.models import Attempt, Course, Question
from dangjian.meetings.models import Attendance, AttendanceState, Study
from dangjian.people.models import Person

TODAY = timezone.localdate()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """`dangjian load-demo` once for the module, rolled back at the end of it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("load-demo", verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_held_lectures_and_theme_days_credit_those_present(demo):
    credited = Study.objects.filter(meeting__isnull=False)
    assert credited.count() > 100
    assert set(credited.values_list("meeting__kind", flat=True)) == {"party_lecture", "theme_day"}
    # Exactly the members present at the held lectures and theme days, once each.
    present = Attendance.objects.filter(
        state=AttendanceState.PRESENT,
        meeting__kind__in=("party_lecture", "theme_day"),
        meeting__status__in=("held", "filed"),
    )
    pairs = list(credited.values_list("meeting_id", "person_id"))
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == set(present.values_list("meeting_id", "person_id"))
    assert not credited.filter(studied_on__gt=TODAY).exists()


@pytest.mark.django_db
def test_courses_materials_bank_and_exam(demo):
    courses = Course.objects.filter(year=TODAY.year)
    assert courses.count() == 3
    names = [d.original_name for c in courses for d in c.documents.all()]
    assert any(n.endswith(".pdf") for n in names) and any(n.endswith(".docx") for n in names)
    assert all(v.url.startswith("https://") for c in courses for v in c.videos.all())
    assert Question.objects.count() == 10
    assert {q.kind for q in Question.objects.all()} == {"single", "multiple", "true_false"}
    assert Attempt.objects.filter(passed=True).exists()
    member = Person.objects.get(user__username="demo_member")
    assert not Attempt.objects.filter(person=member).exists()
    assert not member.course_completions.exists()
