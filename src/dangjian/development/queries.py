"""The read side of development: the `development.*` figures, the pipeline of a branch or
hospital and what is due in it. Shared by pages, API, jobs and statistics."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from dangjian.orgs.figures import SubtreeFigure, by_unit, ratio, unit_expr
from dangjian.orgs.models import CLINICAL_CATEGORIES
from dangjian.people.models import Person, Status, TalentCategory
from dangjian.people.queries import current_status

from . import rules
from .models import DevelopmentStep
from .services import pipeline_for
from .steps import StepCode

S = StepCode
# 双培养: medical experts, discipline leaders and outstanding young medical staff.
DOUBLE_CULTIVATION_TALENTS = (
    TalentCategory.MEDICAL_EXPERT,
    TalentCategory.DISCIPLINE_LEADER,
    TalentCategory.YOUNG_TALENT,
)
PIPELINE_STATUSES = (Status.APPLICANT, Status.ACTIVIST, Status.CANDIDATE, Status.PROBATIONARY)


DEVELOPMENT_COUNTS = (
    "applied",
    "activists",
    "candidates",
    "candidates_department_heads",
    "admitted",
    "admitted_talents",
    "admitted_clinical",
    "full",
)


def development_parts(orgs, start: dt.date, end: dt.date) -> dict:
    """Per unit: people who reached each stage between `start` and `end` inclusive in
    organisations of `orgs`. One query.

    Admission counts by the admission date (入党日期, the assembly's resolution) of the
    approved; talent and clinical shares are among those admitted. A person is counted
    once in each hospital (a city's count is its hospitals' sum)."""
    admitted = Q(code=S.APPROVAL)
    rows = (
        DevelopmentStep.objects.filter(
            organization__in=orgs.values("pk"), effective_on__range=(start, end)
        )
        .annotate(unit=unit_expr("organization__path"))
        .values("unit")
        .annotate(
            applied=Count("person", filter=Q(code=S.APPLICATION), distinct=True),
            activists=Count("person", filter=Q(code=S.ACTIVIST_CONFIRMED), distinct=True),
            candidates=Count("person", filter=Q(code=S.CANDIDATE_CONFIRMED), distinct=True),
            candidates_department_heads=Count(
                "person",
                filter=Q(code=S.CANDIDATE_CONFIRMED, person__is_department_head=True),
                distinct=True,
            ),
            admitted=Count("person", filter=admitted, distinct=True),
            admitted_talents=Count(
                "person",
                filter=admitted & Q(person__talent_category__in=DOUBLE_CULTIVATION_TALENTS),
                distinct=True,
            ),
            admitted_clinical=Count("person", filter=admitted & _clinical(), distinct=True),
            full=Count("person", filter=Q(code=S.FULL_APPROVAL), distinct=True),
        )
        .order_by()
    )
    return by_unit(rows, DEVELOPMENT_COUNTS)


def finish_development(counts: dict) -> dict:
    row = {key: counts.get(key, 0) for key in DEVELOPMENT_COUNTS}
    talents, clinical = row.pop("admitted_talents"), row.pop("admitted_clinical")
    row["admitted_talent_share"] = ratio(talents, row["admitted"])
    row["admitted_clinical_share"] = ratio(clinical, row["admitted"])
    return row


# development.* of a subtree for a period: development_figures(path, start, end).
development_figures = SubtreeFigure("development", development_parts, finish_development)


def _clinical() -> Q:
    """Clinical or medical-technical by the person's department, or, for someone with no
    department on record, by the department of the branch that admitted them."""
    return Q(person__department__category__in=CLINICAL_CATEGORIES) | Q(
        person__department__isnull=True,
        organization__department__category__in=CLINICAL_CATEGORIES,
    )


@dataclass
class PipelineRow:
    person: Person
    pipeline: rules.Pipeline
    status: str
    since: dt.date | None
    due: list[rules.Due]
    candidate_eligible_on: dt.date | None

    def days_in_stage(self, today: dt.date) -> int | None:
        return (today - self.since).days if self.since else None


def pipeline_rows(people, today: dt.date | None = None) -> list[PipelineRow]:
    """Everyone in `people` (a Person queryset, already scoped) who is on the way to full
    membership, with their steps: two queries whatever the number of people."""
    people = (
        people.annotate(status=current_status())
        .filter(status__in=PIPELINE_STATUSES)
        .select_related("organization")
        .prefetch_related(
            Prefetch("development_steps", queryset=DevelopmentStep.objects.order_by("done_on"))
        )
        .order_by("organization__path", "name", "pk")
    )
    rows = []
    for person in people:
        pipeline = pipeline_for(person, person.development_steps.all())
        since = _stage_started(pipeline, person.status)
        rows.append(
            PipelineRow(
                person=person,
                pipeline=pipeline,
                status=person.status,
                since=since,
                due=rules.due_items(pipeline, today or timezone.localdate()),
                candidate_eligible_on=rules.candidate_eligible_on(pipeline),
            )
        )
    return rows


_STAGE_STEP = {
    Status.APPLICANT: S.APPLICATION,
    Status.ACTIVIST: S.ACTIVIST_CONFIRMED,
    Status.CANDIDATE: S.CANDIDATE_CONFIRMED,
    Status.PROBATIONARY: S.APPROVAL,
}


def _stage_started(pipeline: rules.Pipeline, status: str) -> dt.date | None:
    return pipeline.on(_STAGE_STEP[status])


@dataclass
class DueEntry:
    person: Person
    due: rules.Due


def due_within(people, today: dt.date, days: int = 30) -> list[DueEntry]:
    """Items due by `today + days` (overdue ones included), earliest first."""
    horizon = today + dt.timedelta(days=days)
    entries = [
        DueEntry(row.person, item)
        for row in pipeline_rows(people, today)
        for item in row.due
        if item.due_on <= horizon
    ]
    return sorted(entries, key=lambda e: (e.due.due_on, e.person.name))
