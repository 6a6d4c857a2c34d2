"""Recording an honour: checked in full before anything is written (a Chinese message
per problem, HonorError), one transaction, one audit entry; the certificate passes the
upload check every stored file passes."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.uploads import upload_problem
from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from . import rules
from .models import Honor, HonorCertificate


class HonorError(ValueError):
    """A refused change; the message is Chinese (several reasons joined by "；")."""

    def __init__(self, reasons: list[str] | str):
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__("；".join(self.reasons))


@dataclass
class HonorInput:
    organization: Organization | None  # the honoured organisation (None for a person)
    person: Person | None
    category: str
    level: str
    awarded_on: dt.date | None
    awarded_by: str
    title: str = ""
    document_no: str = ""
    certificate: object = None  # an uploaded file, optional


def _recipient_problems(data: HonorInput) -> list[str]:
    if data.person is None and data.organization is None:
        return ["请选择获奖的党员或党组织"]
    if data.person is not None and data.organization is not None:
        return ["一项荣誉只授予一名党员或一个党组织，请只选择其一"]
    if data.organization is not None and data.organization.dissolved_on:
        return [f"{data.organization.name}已撤销，不能登记荣誉"]
    return []


@transaction.atomic
def revoke_honor(honor: Honor, reason: str, *, by=None, today=None) -> Honor:
    """Revoke a wrongly recorded honour: it stays, marked, and no longer counts."""
    today = today or timezone.localdate()
    honor = Honor.objects.select_for_update().select_related("organization").get(pk=honor.pk)
    problems = []
    if honor.revoked_on:
        problems.append("该荣誉已撤销")
    if not reason.strip():
        problems.append("请填写撤销原因")
    if problems:
        raise HonorError(problems)
    honor.revoked_on, honor.revoke_reason = today, reason.strip()[:200]
    honor.save(update_fields=["revoked_on", "revoke_reason"])
    audit.record(
        "honors.revoke", actor=by, obj=honor, org_path=honor.organization.path,
        summary={"title": honor.title, "reason": honor.revoke_reason},
    )  # fmt: skip
    return honor


@transaction.atomic
def record_honor(data: HonorInput, *, by=None, today=None) -> Honor:
    """An honour of one person or one organisation, with its certificate if given."""
    today = today or timezone.localdate()
    problems = _recipient_problems(data)
    problems += rules.field_problems(
        category=data.category, title=data.title, level=data.level,
        awarded_on=data.awarded_on, awarded_by=data.awarded_by,
        for_person=data.person is not None, today=today,
    )  # fmt: skip
    if data.certificate is not None and (problem := upload_problem(data.certificate)):
        problems.append(problem)
    if problems:
        raise HonorError(problems)
    org = data.person.organization if data.person is not None else data.organization
    honor = Honor.objects.create(
        organization=org, person=data.person, category=data.category,
        title=rules.title_for(data.category, data.title), level=data.level,
        awarded_on=data.awarded_on, awarded_by=data.awarded_by.strip(),
        document_no=data.document_no.strip(), recorded_by=by,
    )  # fmt: skip
    if data.certificate is not None:
        HonorCertificate.store(data.certificate, by=by, honor=honor)
    audit.record(
        "honors.record", actor=by, obj=honor, org_path=org.path,
        summary={"person": data.person.pk if data.person else None, "org": org.code,
                 "title": honor.title, "level": honor.level, "on": honor.awarded_on,
                 "document_no": honor.document_no,
                 "file": data.certificate.name if data.certificate is not None else ""},
    )  # fmt: skip
    return honor
