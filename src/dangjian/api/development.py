"""Development pipeline endpoints: the pipeline of a subtree, what is due in it, a
person's timeline, and recording a step (RULES.md §4).

The same scope as the pages: a person or organisation outside the caller's subtrees
answers 404; recording needs write scope on the person's organisation (403 for those who
may only read). Recording goes through `services.record_step`, so the API refuses exactly
what the pages refuse, with the rules' own Chinese reasons, and writes nothing then.
"""

import datetime as dt

from django.db.models import Case, IntegerField, Prefetch, Value, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from dangjian.core import audit
from dangjian.core.paging import IdPage
from dangjian.development import rules
from dangjian.development.models import DevelopmentStep, StepParticipant
from dangjian.development.permissions import may_record_step
from dangjian.development.queries import PIPELINE_STATUSES, due_within, pipeline_rows
from dangjian.development.services import DevelopmentError, StepInput, pipeline_for, record_step
from dangjian.development.steps import SPECS, StepCode, label
from dangjian.people.models import Person
from dangjian.people.models import Status as PersonStatus
from dangjian.people.queries import current_status

from .orgs import visible_org
from .paging import Pages
from .routing import ApiRouter
from .schemas import Day, Id, Message, Refusal

router = ApiRouter(tags=["development"])

PAGE_SIZE = 50
MAX_DAYS = 366
SMALLINT_MAX = 32767  # the step's figures are PositiveSmallIntegerFields


# ---- schemas --------------------------------------------------------------------------
class DueOut(Schema):
    code: str
    label: str
    what: str
    due_on: dt.date
    overdue: bool


class PipelineItemOut(Schema):
    id: int
    name: str
    organization: str
    organization_name: str
    stage: str
    stage_label: str
    since: dt.date | None
    days_in_stage: int | None
    due: list[DueOut]
    candidate_eligible_on: dt.date | None


class DueEntryOut(DueOut):
    id: str  # "person:step:due date", stable from one call to the next
    person_id: int
    person: str
    organization: str
    organization_name: str
    stage: str
    days_left: int


class Tally(Schema):
    """A branch assembly's vote (支部党员大会): entitled, present, yes, no, abstain."""

    entitled: int
    present: int
    yes: int
    no: int
    abstain: int


class ParticipantOut(Schema):
    id: int
    name: str
    role: str


class DocumentOut(Schema):
    id: int
    kind: str
    name: str
    url: str


class StepOut(Schema):
    id: int
    code: str
    label: str
    number: int | None
    stage: str
    done_on: dt.date
    effective_on: dt.date
    actor: str
    note: str
    imported: bool
    late_note: str
    vote: Tally | None
    training_days: int | None
    training_hours: int | None
    extension_months: int | None
    notice_ends_on: dt.date | None
    objections: str
    participants: list[ParticipantOut]
    documents: list[DocumentOut]


class TimelineOut(Schema):
    id: int
    name: str
    organization: str
    status: str | None  # None for 群众
    steps: list[StepOut]
    due: list[DueOut]
    candidate_eligible_on: dt.date | None
    probation_ends_on: dt.date | None


class StepIn(Schema):
    code: str
    done_on: Day
    actor: str = ""
    note: str = ""
    participant_ids: list[Id] = []
    vote: Tally | None = None
    training_days: int | None = None
    training_hours: int | None = None
    extension_months: int | None = None
    notice_ends_on: Day | None = None  # 公示: its last day (done_on is its first)
    objections: str = ""  # 公示: what was raised, if anything


# ---- shaping --------------------------------------------------------------------------
def _due_out(item: rules.Due, today: dt.date) -> dict:
    return {
        "code": item.code,
        "label": str(label(item.code)),
        "what": item.what,
        "due_on": item.due_on,
        "overdue": item.overdue(today),
    }


def _vote_out(step: DevelopmentStep) -> dict | None:
    if step.entitled_voters is None:
        return None
    return {
        "entitled": step.entitled_voters,
        "present": step.present_voters,
        "yes": step.votes_yes,
        "no": step.votes_no,
        "abstain": step.votes_abstain,
    }


def _step_out(step: DevelopmentStep) -> dict:
    spec = SPECS[step.code]
    return {
        "id": step.pk,
        "code": step.code,
        "label": str(label(step.code)),
        "number": spec.number,
        "stage": str(spec.stage),
        "done_on": step.done_on,
        "effective_on": step.effective_on,
        "actor": step.actor,
        "note": step.note,
        "imported": step.imported,
        "late_note": step.late_note,
        "vote": _vote_out(step),
        "training_days": step.training_days,
        "training_hours": step.training_hours,
        "extension_months": step.extension_months,
        "notice_ends_on": step.notice_ends_on,
        "objections": step.objections,
        "participants": [
            {"id": p.person_id, "name": p.person.name, "role": p.role}
            for p in step.participants.all()
        ],
        "documents": [
            {
                "id": d.pk,
                "kind": d.kind,
                "name": d.original_name,
                "url": reverse("development:document", args=[d.pk]),
            }
            for d in step.documents.all()
        ],
    }


def _steps_with_details():
    return DevelopmentStep.objects.prefetch_related(
        Prefetch("participants", queryset=StepParticipant.objects.select_related("person")),
        "documents",
    ).order_by("done_on", "id")


def _row_out(row, today: dt.date) -> dict:
    person = row.person
    return {
        "id": person.pk,
        "name": person.name,
        "organization": person.organization.code,
        "organization_name": person.organization.name,
        "stage": row.status,
        "stage_label": str(PersonStatus(row.status).label),
        "since": row.since,
        "days_in_stage": row.days_in_stage(today),
        "due": [_due_out(item, today) for item in row.due],
        "candidate_eligible_on": row.candidate_eligible_on,
    }


def _pipeline_page(pks: list, today: dt.date) -> list:
    """The pipeline rows of `pks`, in that order, with their steps (a few queries)."""
    position = {pk: i for i, pk in enumerate(pks)}
    rows = pipeline_rows(Person.objects.filter(pk__in=pks), today)
    rows.sort(key=lambda row: position[row.person.pk])
    return [_row_out(row, today) for row in rows]


# ---- scope ----------------------------------------------------------------------------
def _people(request, org: str | None):
    people = Person.objects.visible_to(request.user)
    if org:
        people = people.filter(organization__path__startswith=visible_org(request, org).path)
    return people


def _visible_person(request, person_id: int) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(request.user)
        .select_related("organization")
        .annotate(current=current_status()),
        pk=person_id,
    )


def _days(days: int) -> int:
    if not 1 <= days <= MAX_DAYS:
        raise HttpError(400, _("天数须为 1 至 %(max)d 之间的整数") % {"max": MAX_DAYS})
    return days


# ---- endpoints ------------------------------------------------------------------------
@router.get("/development/pipeline", response={200: list[PipelineItemOut], 400: Message})
@paginate(Pages, page_size=PAGE_SIZE)
def pipeline(request, org: str | None = None, stage: str | None = None):
    """People on the way to full membership in the caller's scope (or the subtree `org`),
    by stage (applicant, activist, candidate, probationary): since when, for how many
    days, what they owe next and when an activist may become a candidate."""
    if stage and stage not in PIPELINE_STATUSES:
        raise HttpError(
            400,
            _("未知的阶段：%(stage)s（可选 %(choices)s）")
            % {"stage": stage, "choices": "、".join(PIPELINE_STATUSES)},
        )
    stages = [stage] if stage else list(PIPELINE_STATUSES)
    order = Case(
        *[When(status=s, then=Value(i)) for i, s in enumerate(PIPELINE_STATUSES)],
        output_field=IntegerField(),
    )
    ids = (
        _people(request, org)
        .annotate(status=current_status())
        .filter(status__in=stages)
        .annotate(stage_order=order)
        .order_by("stage_order", "organization__path", "name", "pk")
        .values_list("pk", flat=True)
    )
    today = timezone.localdate()
    return IdPage(ids, lambda pks: _pipeline_page(pks, today))


@router.get("/development/due", response={200: list[DueEntryOut], 400: Message})
@paginate(Pages, page_size=PAGE_SIZE)
def due(request, org: str | None = None, days: int = 30):
    """Steps due within `days` days (1–366, default 30), overdue ones included, earliest
    first."""
    today = timezone.localdate()
    entries = due_within(_people(request, org), today, _days(days))
    return [
        {
            **_due_out(entry.due, today),
            "id": f"{entry.person.pk}:{entry.due.code}:{entry.due.due_on.isoformat()}",
            "person_id": entry.person.pk,
            "person": entry.person.name,
            "organization": entry.person.organization.code,
            "organization_name": entry.person.organization.name,
            "stage": entry.person.status,
            "days_left": (entry.due.due_on - today).days,
        }
        for entry in entries
    ]


@router.get("/development/people/{person_id}/steps", response=TimelineOut)
def timeline(request, person_id: Id):
    """A person's development record: every step on file (imported milestones included),
    what is due next, and the dates the rules derive from them. Audited as a read of
    personal data."""
    person = _visible_person(request, person_id)
    audit.record(
        "development.view",
        actor=request.user,
        obj=person,
        org_path=person.organization.path,
    )
    steps = list(_steps_with_details().filter(person=person))
    pipeline = pipeline_for(person, steps)
    today = timezone.localdate()
    return {
        "id": person.pk,
        "name": person.name,
        "organization": person.organization.code,
        "status": person.current,
        "steps": [_step_out(step) for step in steps],
        "due": [_due_out(item, today) for item in rules.due_items(pipeline, today)],
        "candidate_eligible_on": rules.candidate_eligible_on(pipeline),
        "probation_ends_on": pipeline.probation_ends_on,
    }


@router.post(
    "/development/people/{person_id}/steps",
    response={201: StepOut, 400: Refusal, 403: Message},
)
def record(request, person_id: Id, payload: StepIn):
    """Record one step through the same validation as the pages. A refusal answers 400
    with the reasons, each naming the rule, and writes nothing; an accepted step answers
    201, its `late_note` saying if it was late."""
    person = _visible_person(request, person_id)
    if not may_record_step(request.user, person):
        raise HttpError(403, _("没有登记发展步骤的权限"))
    problems = _payload_problems(payload)
    participants, missing = _participants(request, person, payload.participant_ids)
    if missing:
        problems.append(
            _("找不到以下人员，或无权查看：%(ids)s") % {"ids": "、".join(map(str, missing))}
        )
    if problems:
        return _refused(problems)
    data = StepInput(
        code=payload.code,
        done_on=payload.done_on,
        actor=payload.actor,
        note=payload.note,
        participants=participants,
        vote=rules.Vote(**payload.vote.model_dump()) if payload.vote else None,
        training_days=payload.training_days,
        training_hours=payload.training_hours,
        extension_months=payload.extension_months,
        notice_ends_on=payload.notice_ends_on,
        objections=payload.objections,
    )
    try:
        step = record_step(person, data, by=request.user)
    except DevelopmentError as refused:
        return _refused(refused.reasons)
    return Status(201, _step_out(_steps_with_details().get(pk=step.pk)))


def _refused(reasons: list[str]):
    return Status(400, {"detail": "；".join(reasons), "reasons": reasons})


def _participants(request, person: Person, ids: list[int]) -> tuple[list[Person], list[int]]:
    """The people named by `ids`, in order (repeats kept, so the rules see duplicates),
    among those the caller may see in the person's hospital; and the ids not found."""
    if not ids:
        return [], []
    found = Person.objects.visible_to(request.user).filter(
        pk__in=set(ids), organization__path__startswith=person.organization.hospital_path
    )
    by_pk = {p.pk: p for p in found}
    missing = sorted({pk for pk in ids if pk not in by_pk})
    return [by_pk[pk] for pk in ids if pk in by_pk], missing


def _payload_problems(payload: StepIn) -> list[str]:
    """What the schema cannot say: figures the step does not carry, numbers out of range
    and texts too long for the record. The rules check the rest."""
    problems = []
    spec = SPECS.get(payload.code)
    if spec is not None:
        step = label(spec.code)
        if payload.vote is not None and not spec.vote:
            problems.append(_("“%(step)s”不登记表决结果") % {"step": step})
        if (payload.training_days, payload.training_hours) != (None, None) and not spec.training:
            problems.append(_("“%(step)s”不登记培训天数或学时") % {"step": step})
        if payload.extension_months is not None and spec.code != StepCode.PROBATION_EXTENDED:
            problems.append(_("“%(step)s”不登记延长月数") % {"step": step})
        if (payload.notice_ends_on or payload.objections.strip()) and not spec.notice:
            problems.append(_("“%(step)s”不登记公示截止日期或反映意见") % {"step": step})
    figures = {
        _("培训天数"): payload.training_days,
        _("培训学时"): payload.training_hours,
        _("延长月数"): payload.extension_months,
    }
    if payload.vote is not None:
        figures.update(
            {
                _("应到人数"): payload.vote.entitled,
                _("实到人数"): payload.vote.present,
                _("赞成票"): payload.vote.yes,
                _("反对票"): payload.vote.no,
                _("弃权票"): payload.vote.abstain,
            }
        )
    for name, value in figures.items():
        if value is not None and not 0 <= value <= SMALLINT_MAX:
            problems.append(
                _("%(name)s须为 0 至 %(max)d 之间的整数") % {"name": name, "max": SMALLINT_MAX}
            )
    if len(payload.actor) > 100:
        problems.append(_("经办人/谈话人不能超过 100 个字"))
    if len(payload.objections) > 2000:
        problems.append(_("公示期间反映的意见不能超过 2000 个字"))
    return problems
