"""Recording development steps: validate against the rules, then write the step, its
participants and documents, and move the person's political status, in one transaction."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.uploads import upload_problem
from dangjian.orgs.models import OrgKind
from dangjian.people.models import Person, Status, StatusPeriod
from dangjian.people.queries import memberships_on, open_on, open_status_period, status_on
from dangjian.people.signals import status_changed

from . import rules
from .models import DevelopmentStep, StepDocument, StepParticipant
from .steps import SPECS, StepCode


class DevelopmentError(ValueError):
    """A refused step. `reasons` are Chinese sentences, each naming the rule broken."""

    def __init__(self, reasons: list[str]):
        super().__init__("；".join(reasons))
        self.reasons = reasons


@dataclass
class StepInput:
    """What a form or API call asks to record."""

    code: str
    done_on: dt.date
    actor: str = ""
    note: str = ""
    participants: list[Person] = field(default_factory=list)
    vote: rules.Vote | None = None
    training_days: int | None = None
    training_hours: int | None = None
    extension_months: int | None = None
    notice_ends_on: dt.date | None = None
    objections: str = ""
    documents: list[tuple[str, object]] = field(default_factory=list)  # (kind, UploadedFile)


def pipeline_for(person: Person, steps=None) -> rules.Pipeline:
    steps = person.development_steps.all() if steps is None else steps
    return rules.Pipeline(
        [
            rules.Recorded(
                code=s.code,
                done_on=s.done_on,
                effective_on=s.effective_on,
                imported=s.imported,
                extension_months=s.extension_months,
                notice_ends_on=s.notice_ends_on,
                objections=s.objections,
            )
            for s in steps
        ],
        birth_date=person.birth_date,
    )


def _is_full_member(person: Person, day: dt.date) -> bool:
    return StatusPeriod.objects.filter(open_on(day), person=person, status=Status.FULL).exists()


def check_step(
    person: Person,
    data: StepInput,
    today: dt.date | None = None,
    pipeline: rules.Pipeline | None = None,
) -> rules.Verdict:
    """The verdict on `data` without writing anything (forms use it to preview).
    `pipeline`: the person's, when the caller has already read it."""
    today = today or timezone.localdate()
    if data.code not in SPECS:
        return rules.Verdict(refusals=[f"未知的发展步骤：{data.code}"])
    spec = SPECS[data.code]
    proposal = rules.Proposal(
        code=data.code,
        done_on=data.done_on,
        participants=tuple(
            rules.Participant(
                name=p.name,
                is_full_member=_is_full_member(p, data.done_on),
                is_self=p.pk == person.pk,
            )
            for p in data.participants
        ),
        vote=data.vote,
        training_days=data.training_days,
        training_hours=data.training_hours,
        extension_months=data.extension_months,
        full_members=branch_full_members(person.organization, data.done_on) if spec.vote else None,
        notice_ends_on=data.notice_ends_on,
        objections=data.objections,
        notice_working_days=getattr(
            settings, "DANGJIAN_PUBLIC_NOTICE_DAYS", rules.PUBLIC_NOTICE_WORKING_DAYS
        ),
    )
    verdict = rules.check(pipeline or pipeline_for(person), proposal, today)
    verdict.refusals += _misplaced(SPECS[data.code], data)
    verdict.refusals += [p for _, upload in data.documents if (p := upload_problem(upload))]
    return verdict


def _misplaced(spec, data: StepInput) -> list[str]:
    """Figures sent with a step that does not carry them are refused, not dropped."""
    name = StepCode(spec.code).label
    refusals = []
    if data.participants and not spec.participants:
        refusals.append(f"“{name}”不登记培养联系人或入党介绍人")
    if data.vote is not None and not spec.vote:
        refusals.append(f"“{name}”不登记表决结果")
    if (data.training_days or data.training_hours) and not spec.training:
        refusals.append(f"“{name}”不登记培训天数或学时")
    if data.extension_months is not None and spec.code != StepCode.PROBATION_EXTENDED:
        refusals.append(f"“{name}”不登记延长月数")
    if (data.notice_ends_on or data.objections.strip()) and not spec.notice:
        refusals.append(f"“{name}”不登记公示截止日期或反映意见")
    return refusals


def branch_full_members(org, day: dt.date) -> int:
    """Full members of the branch of `org` (a branch, or a Party group's branch) with its
    Party groups on `day`: those entitled to attend and vote at its assembly."""
    branch = org.get_parent() if org.kind == OrgKind.GROUP else org
    return (
        memberships_on(branch.path, day)
        .annotate(status_at=status_on(day, "person"))
        .filter(status_at=Status.FULL)
        .values("person")
        .distinct()
        .count()
    )


@transaction.atomic
def record_step(person: Person, data: StepInput, *, by=None, today: dt.date | None = None):
    """Validate and write one step. Raises DevelopmentError (nothing written) when refused;
    returns the step, whose `late_note` says if it was accepted but late."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    pipeline = pipeline_for(person)
    verdict = check_step(person, data, today, pipeline)
    if not verdict.ok:
        raise DevelopmentError(verdict.refusals)
    spec = SPECS[data.code]
    vote = data.vote
    step = DevelopmentStep.objects.create(
        person=person,
        organization=person.organization,
        code=data.code,
        done_on=data.done_on,
        effective_on=rules.effective_on(pipeline, _proposal_code(data)),
        actor=data.actor,
        note=data.note,
        late_note="；".join(verdict.flags),
        entitled_voters=vote.entitled if vote else None,
        present_voters=vote.present if vote else None,
        votes_yes=vote.yes if vote else None,
        votes_no=vote.no if vote else None,
        votes_abstain=vote.abstain if vote else None,
        training_days=data.training_days,
        training_hours=data.training_hours,
        extension_months=data.extension_months,
        notice_ends_on=data.notice_ends_on,
        objections=data.objections.strip(),
        recorded_by=by,
    )
    StepParticipant.objects.bulk_create(
        [StepParticipant(step=step, person=p, role=spec.participants) for p in data.participants]
    )
    for kind, upload in data.documents:
        StepDocument.objects.create(
            step=step, kind=kind, file=upload, original_name=upload.name[:255], uploaded_by=by
        )
    if _move_status(person, spec, step):
        status_changed.send(sender=Person, person=person, since=step.effective_on, by=by)
    audit.record(
        "development.step",
        actor=by,
        obj=person,
        org_path=person.organization.path,
        summary={"step": data.code, "done_on": data.done_on, "late": step.late_note},
    )
    return step


def _proposal_code(data: StepInput) -> rules.Proposal:
    return rules.Proposal(code=data.code, done_on=data.done_on)


def _move_status(person: Person, spec, step: DevelopmentStep) -> bool:
    """Close the open status period and open the one this step leads to. Periods end on
    the day the next begins (people.queries.open_on). Whether the status changed."""
    cancelling = spec.code == StepCode.PROBATION_CANCELLED
    if not spec.opens_status and not cancelling:
        return False
    starts = step.done_on if cancelling else step.effective_on
    open_period = open_status_period(person)
    if open_period is not None:
        if open_period.started_on >= starts:
            # A same-day change supersedes the period rather than leaving an empty one.
            open_period.delete()
        else:
            open_period.ended_on = starts
            open_period.save(update_fields=["ended_on"])
    if not cancelling:
        StatusPeriod.objects.create(
            person=person, status=spec.opens_status, started_on=starts, note=spec.code
        )
    return True
