"""Registry writes through the API (SPEC.md §4b): `POST /members` adds a person and
`PATCH /members/{id}` changes staff fields, with the checks of the office's pages (the
same form, people.forms.PersonForm) and the same right (the Party office's). A hospital's
HR system keeps the staff fields in step this way; `?dry_run=true` answers what would
happen and writes nothing. Unknown fields are refused, never ignored."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import HttpError
from ninja.responses import Status
from pydantic import ConfigDict

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Department, Organization
from dangjian.people.forms import PersonForm
from dangjian.people.queries import registry_orgs
from dangjian.people.records import STAFF_FIELDS, create_person, update_person
from dangjian.people.stages import STAGES

# On the members router: ninja answers a path from one router, so GET and POST of
# /members must share it (a second router's POST would be a 405).
from .members import _people, router
from .schemas import Day, Id, MemberDetailOut, Message, Refusal

# The API's names of the development stages' days, in pipeline order (people.stages).
STAGE_NAMES = ("applied_on", "activist_on", "candidate_on", "admitted_on", "full_on")
assert len(STAGE_NAMES) == len(STAGES)


class MemberPatch(Schema):
    """Staff fields to change; a field left out is kept. `id_number` and `phone` are
    write-only (answers mask them); an empty string keeps the stored number."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    id_number: str | None = None
    phone: str | None = None
    department: str | None = None  # the department's name in the person's hospital
    admin_title: str | None = None
    is_department_head: bool | None = None
    professional_title: str | None = None
    talent_category: str | None = None
    employment: str | None = None


class MemberIn(MemberPatch):
    """A new person: `organization` is a code the caller's office keeps; `status` the
    political status ("" or left out for 群众) with the days of the stages reached
    (a full member's `full_on` defaults to a year after `admitted_on`)."""

    name: str
    id_number: str
    organization: str
    employment: str = "in_service"
    status: str = ""
    applied_on: Day | None = None
    activist_on: Day | None = None
    candidate_on: Day | None = None
    admitted_on: Day | None = None
    full_on: Day | None = None


class MemberWriteOut(Schema):
    """What a write did (or, with `dry_run`, would do): the staff fields it changes, and
    the member as stored afterwards (a dry run adds nobody: `member` is null then)."""

    dry_run: bool
    changed: list[str]
    member: MemberDetailOut | None


def _refusal(form: PersonForm) -> Status:
    reasons = [
        f"{form.fields[name].label if name in form.fields else ''}：{message}".lstrip("：")
        for name, messages in form.errors.items()
        for message in messages
    ]
    return Status(400, {"detail": "；".join(reasons), "reasons": reasons})


class Refused(Exception):
    def answer(self) -> Status:
        return Status(400, {"detail": str(self), "reasons": [str(self)]})


def _department(name: str | None, hospital_path: str) -> int | None:
    """A department's id from its name in the hospital; an unknown name is refused."""
    if not name:
        return None
    department = Department.objects.filter(hospital__path=hospital_path, name=name).first()
    if department is None:
        raise Refused(_("科室“%(name)s”不存在于该医院") % {"name": name})
    return department.pk


@router.post(
    "/members",
    response={201: MemberWriteOut, 200: MemberWriteOut, 400: Refusal, 403: Message},
)
def create_member(request, payload: MemberIn, dry_run: bool = False):
    """Add a person to an organisation the caller's office keeps (组织编码)."""
    orgs = registry_orgs(request.user)
    org = orgs.filter(code=payload.organization).first()
    if org is None:
        if not scope_for(request.user).registry_paths:
            raise HttpError(403, _("只有党委办公室可以新增人员"))
        message = _("组织编码 %(code)s 不存在或不由您维护") % {"code": payload.organization}
        return Refused(message).answer()
    try:
        department = _department(payload.department, org.hospital_path)
    except Refused as exc:
        return exc.answer()
    data = payload.dict(exclude={"organization", "department", "status", *STAGE_NAMES})
    data.update(
        organization=org.pk,
        department=department,
        status=payload.status,
        **{f"stage_{i}": getattr(payload, name) for i, name in enumerate(STAGE_NAMES)},
    )
    form = PersonForm({k: v for k, v in data.items() if v is not None}, organizations=orgs)
    if not form.is_valid():
        return _refusal(form)
    changed = [name for name in STAFF_FIELDS if form.cleaned_data.get(name) not in (None, "")]
    if dry_run:
        return Status(200, {"dry_run": True, "changed": changed, "member": None})
    person = create_person(form.cleaned_data, by=request.user)
    return Status(
        201, {"dry_run": False, "changed": changed, "member": _people(request).get(pk=person.pk)}
    )


@router.patch("/members/{member_id}", response={200: MemberWriteOut, 400: Refusal, 403: Message})
def update_member(request, member_id: Id, payload: MemberPatch, dry_run: bool = False):
    """Change staff fields of a person whose organisation the caller's office keeps."""
    person = get_object_or_404(_people(request), pk=member_id)
    if not scope_for(request.user).keeps_registry(person.organization):
        raise HttpError(403, _("只有党委办公室可以修改人员信息"))
    current = {n: getattr(person, n) for n in STAFF_FIELDS if n not in ("id_number", "phone")}
    current["department"] = person.department_id
    given = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    data = {**current, **given, "organization": person.organization_id}
    if "department" in payload.model_fields_set:  # null or "" clears it
        try:
            data["department"] = _department(payload.department, person.organization.hospital_path)
        except Refused as exc:
            return exc.answer()
    orgs = Organization.objects.filter(pk=person.organization_id)
    form = PersonForm(data, organizations=orgs, person=person)
    if not form.is_valid():
        return _refusal(form)
    if dry_run:
        cleaned = form.cleaned_data
        changed = [
            n for n in STAFF_FIELDS if getattr(person, n) != cleaned.get(n, getattr(person, n))
        ]
        return Status(200, {"dry_run": True, "changed": changed, "member": person})
    changed = update_person(person, form.cleaned_data, by=request.user)
    return Status(
        200, {"dry_run": False, "changed": changed, "member": _people(request).get(pk=person.pk)}
    )
