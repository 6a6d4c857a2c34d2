"""Changes to the care register: enter a member in difficulty, change the entry, mark
them 已脱困, record a visit or help. Each runs in one transaction, refuses with a Chinese
message (CareError) before writing anything, and is audited (the summary names the
kind and amounts, never the situation text: the audit log is read more widely)."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.people.models import MEMBER_STATUSES, Person

from . import rules
from .models import CareCase, CareVisit, CaseStatus, Hardship, HelpForm, VisitReason


class CareError(ValueError):
    """A refused change; the message is Chinese."""


@dataclass
class CaseInput:
    hardship: str
    situation: str
    since: dt.date | None


@dataclass
class VisitInput:
    visited_on: dt.date | None
    reason: str
    form: str
    visitors: str
    amount: object = 0
    note: str = ""


def _path(person: Person) -> str:
    return person.organization.path


def _case_problems(data: CaseInput, today: dt.date) -> list[str]:
    problems = []
    if data.hardship not in Hardship.values:
        problems.append(f"未知的困难类型：{data.hardship}")
    if not data.situation.strip():
        problems.append("请填写困难情况")
    if problem := rules.date_problem(data.since, today, "登记日期"):
        problems.append(problem)
    return problems


@transaction.atomic
def open_case(person: Person, data: CaseInput, *, by=None, today=None) -> CareCase:
    """Enter a Party member in the 困难党员 register (one open entry per person)."""
    today = today or timezone.localdate()
    problems = _case_problems(data, today)
    if not person.statuses.filter(ended_on__isnull=True, status__in=MEMBER_STATUSES).exists():
        problems.append(f"{person.name}不是党员，不能登记为困难党员")
    if CareCase.objects.filter(person=person, status=CaseStatus.HELPING).exists():
        problems.append(f"{person.name}已在困难党员名册中（帮扶中）")
    if problems:
        raise CareError("；".join(problems))
    try:
        with transaction.atomic():
            case = CareCase.objects.create(
                person=person, hardship=data.hardship, situation=data.situation.strip(),
                since=data.since, created_by=by,
            )  # fmt: skip
    except IntegrityError as twice:
        raise CareError(f"{person.name}已在困难党员名册中（帮扶中）") from twice
    audit.record(
        "care.case", actor=by, obj=case, org_path=_path(person),
        summary={"person": person.pk, "hardship": data.hardship, "since": data.since},
    )  # fmt: skip
    return case


def _locked(case: CareCase) -> CareCase:
    return (
        CareCase.objects.select_for_update().select_related("person__organization").get(pk=case.pk)
    )


@transaction.atomic
def update_case(case: CareCase, data: CaseInput, *, by=None, today=None) -> CareCase:
    today = today or timezone.localdate()
    case = _locked(case)
    problems = _case_problems(data, today)
    if case.resolved_on and data.since and data.since > case.resolved_on:
        problems.append("登记日期不能晚于脱困日期")
    if problems:
        raise CareError("；".join(problems))
    was = {"hardship": case.hardship, "since": case.since, "situation": case.situation}
    case.hardship, case.situation, case.since = data.hardship, data.situation.strip(), data.since
    case.save(update_fields=["hardship", "situation", "since"])
    now = {"hardship": case.hardship, "since": case.since, "situation": case.situation}
    changes = audit.changes(was, now)
    if "situation" in changes:  # what changed, not the text itself
        changes["situation"] = "已修改"
    audit.record(
        "care.case_changed", actor=by, obj=case, org_path=_path(case.person),
        summary={"changes": changes},
    )  # fmt: skip
    return case


@transaction.atomic
def resolve_case(case: CareCase, resolved_on: dt.date | None, *, by=None, today=None):
    """Mark the member 已脱困 from `resolved_on`; their history stays."""
    today = today or timezone.localdate()
    case = _locked(case)
    if case.status != CaseStatus.HELPING:
        raise CareError("该困难党员已脱困")
    if problem := rules.resolved_problem(case.since, resolved_on, today):
        raise CareError(problem)
    case.status, case.resolved_on = CaseStatus.RESOLVED, resolved_on
    case.save(update_fields=["status", "resolved_on"])
    audit.record(
        "care.resolved", actor=by, obj=case, org_path=_path(case.person),
        summary={"resolved_on": resolved_on},
    )  # fmt: skip
    return case


@transaction.atomic
def record_visit(person: Person, data: VisitInput, *, by=None, today=None) -> CareVisit:
    """A visit or help given to `person`. A member of the register is helped through
    their open entry (the visit counts as help given to a 困难党员)."""
    today = today or timezone.localdate()
    problems = []
    if problem := rules.date_problem(data.visited_on, today, "慰问日期"):
        problems.append(problem)
    if data.reason not in VisitReason.values:
        problems.append(f"未知的慰问事由：{data.reason}")
    if data.form not in HelpForm.values:
        problems.append(f"未知的慰问形式：{data.form}")
    if not data.visitors.strip():
        problems.append("请填写慰问人")
    amount, problem = rules.parse_amount(data.amount)
    if problem:
        problems.append(problem)
    if data.form == HelpForm.CASH and amount is not None and amount <= 0:
        problems.append("慰问金须填写金额")
    case = CareCase.objects.filter(person=person, status=CaseStatus.HELPING).first()
    if data.reason == VisitReason.HARDSHIP and case is None:
        problems.append(f"{person.name}不在困难党员名册中，请选择其他慰问事由或先登记")
    if problems:
        raise CareError("；".join(problems))
    visit = CareVisit.objects.create(
        person=person, case=case, visited_on=data.visited_on, reason=data.reason,
        form=data.form, amount=amount, visitors=data.visitors.strip(), note=data.note.strip(),
        recorded_by=by,
    )  # fmt: skip
    audit.record(
        "care.visit", actor=by, obj=visit, org_path=_path(person),
        summary={"person": person.pk, "reason": data.reason, "form": data.form,
                 "amount": f"{amount}", "visited_on": data.visited_on},
    )  # fmt: skip
    return visit
