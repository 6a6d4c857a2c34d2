"""The read side of 学习教育: a member's courses with their progress, an exam's results
and the hospital's learning figures. Class hours are read from meetings (the one place
they are counted); every list is a fixed number of queries whatever its length."""

from django.db.models import Avg, Count, Exists, Max, OuterRef, Q, Subquery, Sum

from dangjian.meetings.queries import study_hours, study_hours_of
from dangjian.meetings.rules import STUDY_HOURS_PER_YEAR
from dangjian.meetings.study import members_of
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from .models import Attempt, Completion, Course, Exam


def ancestor_paths(path: str) -> list[str]:
    """The paths of the organisation at `path` and of those above it."""
    step = Organization.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def courses_for(person: Person):
    """The courses published to the member's organisation or above it, required first
    and then the newest year, each with whether the member completed it, whether it has
    an exam and the member's best score. One query."""
    mine = Attempt.objects.filter(exam__course=OuterRef("pk"), person=person).order_by()
    return (
        Course.objects.filter(organization__path__in=ancestor_paths(person.organization.path))
        .annotate(
            done=Exists(Completion.objects.filter(course=OuterRef("pk"), person=person)),
            has_exam=Exists(Exam.objects.filter(course=OuterRef("pk"))),
            best_score=Subquery(
                mine.filter(score__isnull=False)
                .values("person")
                .annotate(m=Max("score"))
                .values("m")[:1]
            ),
        )  # fmt: skip
        .select_related("organization")
        .order_by("-required", "-year", "title", "pk")
    )


def progress(courses: list) -> dict:
    """Required and elective courses done out of those listed (already annotated)."""
    required = [c for c in courses if c.required]
    return {
        "required": len(required),
        "required_done": sum(c.done for c in required),
        "done": sum(c.done for c in courses),
        "total": len(courses),
    }


def hours_progress(person: Person, year: int) -> dict:
    """The member's class hours in `year` against the yearly target (one query)."""
    total = study_hours([person.pk], year).get(person.pk, 0.0)
    return {
        "year": year,
        "total": total,
        "target": STUDY_HOURS_PER_YEAR,
        "percent": min(100, round(total * 100 / STUDY_HOURS_PER_YEAR)),
    }


def results_rows(exam: Exam):
    """Who took the exam: per member, attempts, best score, whether they passed and the
    last submission. One query."""
    return (
        Attempt.objects.filter(exam=exam, submitted_at__isnull=False)
        .values("person_id", "person__name", "person__organization__name")
        .annotate(
            attempts=Count("pk"),
            best=Max("score"),
            passes=Count("pk", filter=Q(passed=True)),
            last=Max("submitted_at"),
        )
        .order_by("person__organization__path", "person__name", "person_id")
    )


def results_summary(exam: Exam) -> dict:
    """Takers, passers, the pass rate and the average best score. One query."""
    submitted = Attempt.objects.filter(exam=exam, submitted_at__isnull=False).order_by()
    best = submitted.filter(person=OuterRef("pk")).values("person").annotate(m=Max("score"))
    sums = (
        Person.objects.filter(pk__in=submitted.values("person"))
        .annotate(
            best=Subquery(best.values("m")[:1]),
            ok=Exists(submitted.filter(person=OuterRef("pk"), passed=True)),
        )
        .aggregate(takers=Count("pk"), passers=Count("pk", filter=Q(ok=True)), average=Avg("best"))
    )
    takers = sums["takers"]
    return {**sums, "pass_rate": sums["passers"] / takers if takers else None}


def learning_figures(org: Organization, year: int) -> dict:
    """Per organisation of the subtree (the members' current one): members, members who
    reached the yearly hours, average hours; and the totals. One query."""
    people = Person.objects.filter(organization__path__startswith=org.path)
    rows = list(
        members_of(people)
        .annotate(hours=study_hours_of(year))
        .order_by()
        .values("organization__code", "organization__name", "organization__path")
        .annotate(
            members=Count("pk"),
            reached=Count("pk", filter=Q(hours__gte=STUDY_HOURS_PER_YEAR)),
            hours_sum=Sum("hours"),
            average=Avg("hours"),
        )
        .order_by("organization__path")
    )
    members = sum(r["members"] for r in rows)
    reached = sum(r["reached"] for r in rows)
    hours = sum(float(r["hours_sum"] or 0) for r in rows)
    return {
        "rows": rows,
        "members": members,
        "reached": reached,
        "reached_rate": reached / members if members else None,
        "average": hours / members if members else None,
        "target": STUDY_HOURS_PER_YEAR,
    }
