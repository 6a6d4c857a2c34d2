"""Development pages: the pipeline board, the due list, a person's timeline, the form
recording one step, the branch assembly's vote for several candidates, and document
downloads.

Everything starts from `visible_to(user)`: a person, organisation or file outside the
user's subtrees answers 404; recording needs write scope on the person's organisation
(403 for those who may only read). Reads of a timeline and downloads of documents are
personal data and go to the audit log (SPEC.md §5).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.pages import audited_download, client_ip, private
from dangjian.orgs.models import Organization, OrgKind
from dangjian.orgs.pages import chosen_org
from dangjian.orgs.queries import visible_ancestors
from dangjian.people.models import Person, Status
from dangjian.people.pages import writable_person
from dangjian.people.queries import current_status, memberships_on, status_on

from . import rules
from .forms import (
    AssemblyForm,
    DocumentFormSet,
    DueForm,
    StepChoiceForm,
    StepForm,
    TallyFormSet,
    available_steps,
    documents_of,
    record_assembly,
    step_label,
    tally_initial,
    today_initial,
)
from .models import DevelopmentStep, StepDocument, StepParticipant
from .paperwork import form_for_step
from .permissions import may_hold_assembly, may_record_step
from .queries import PIPELINE_STATUSES, due_within, pipeline_rows
from .services import DevelopmentError, pipeline_for, record_step
from .steps import SPECS, Stage, StepCode, label

BOARD_PAGE_SIZE = 50
DUE_PAGE_SIZE = 100
VOTE_CODES = (StepCode.ASSEMBLY_VOTE, StepCode.FULL_ASSEMBLY_VOTE)


def _people_in(request, org: Organization):
    return Person.objects.visible_to(request.user).filter(organization__path__startswith=org.path)


def _due_view(items: list[rules.Due], today) -> list[dict]:
    return [
        {"label": label(d.code), "what": d.what, "due_on": d.due_on, "overdue": d.overdue(today)}
        for d in items
    ]


# ---- pipeline board -------------------------------------------------------------------
@login_required
def board(request):
    """Who is at which stage in the subtree, since when, and what they owe next. One page
    of people at a time: the counts per stage, a page of ids, then their steps."""
    org = chosen_org(request)
    today = timezone.localdate()
    stage = request.GET.get("stage", "")
    if stage not in PIPELINE_STATUSES:
        stage = ""
    people = _people_in(request, org).annotate(stage=current_status())
    counts = dict(
        people.filter(stage__in=PIPELINE_STATUSES)
        .values_list("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    order = Case(
        *[When(stage=s, then=Value(i)) for i, s in enumerate(PIPELINE_STATUSES)],
        output_field=IntegerField(),
    )
    listed = people.filter(stage=stage) if stage else people.filter(stage__in=PIPELINE_STATUSES)
    ids = listed.annotate(stage_order=order).order_by(
        "stage_order", "organization__path", "name", "pk"
    )
    page = Paginator(ids.values_list("pk", flat=True), BOARD_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    position = {pk: i for i, pk in enumerate(page.object_list)}
    rows = sorted(
        pipeline_rows(Person.objects.filter(pk__in=list(position)), today),
        key=lambda row: position[row.person.pk],
    )
    for row in rows:
        row.stage_label = Status(row.status).label
        row.days = row.days_in_stage(today)
        row.due_list = _due_view(row.due, today)
        row.can_write = may_record_step(request.user, row.person)
    context = {
        "org": org,
        "ancestors": visible_ancestors(request.user, org),
        "stage": stage,
        "stages": [
            {"code": s, "label": Status(s).label, "count": counts.get(s, 0)}
            for s in PIPELINE_STATUSES
        ],
        "total": sum(counts.values()),
        "rows": rows,
        "page": page,
        "extra_query": urlencode({"org": org.code, **({"stage": stage} if stage else {})}),
        "can_vote": may_hold_assembly(request.user, org),
        "today": today,
    }
    return private(render(request, "development/board.html", context))


# ---- due list -------------------------------------------------------------------------
@login_required
def due(request):
    """Steps due within `days` (overdue ones first, in red) in a branch or a hospital."""
    org = chosen_org(request)
    today = timezone.localdate()
    days_form = DueForm(request.GET)
    days = days_form.days_value()
    entries = due_within(_people_in(request, org), today, days)
    for entry in entries:
        entry.overdue = entry.due.overdue(today)
        entry.label = label(entry.due.code)
        entry.stage_label = Status(entry.person.status).label
        entry.days_left = (entry.due.due_on - today).days
        entry.days_late = -entry.days_left
    children = list(
        Organization.objects.visible_to(request.user)
        .filter(path__startswith=org.path, depth=org.depth + 1)
        .order_by("path")
    )
    for child in children:
        mine = [e for e in entries if e.person.organization.path.startswith(child.path)]
        child.due_count = len(mine)
        child.overdue_count = sum(e.overdue for e in mine)
    context = {
        "org": org,
        "ancestors": visible_ancestors(request.user, org),
        "days": days,
        "days_form": days_form,
        "page": Paginator(entries, DUE_PAGE_SIZE).get_page(request.GET.get("page")),
        "total": len(entries),
        "overdue_total": sum(e.overdue for e in entries),
        "children": [c for c in children if c.due_count],
        "extra_query": urlencode({"org": org.code, "days": days}),
        "today": today,
    }
    return private(render(request, "development/due.html", context))


def _choices(specs) -> list[dict]:
    return [{"code": spec.code, "label": step_label(spec)} for spec in specs]


# ---- person timeline ------------------------------------------------------------------
def _visible_person(request, pk: int) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(request.user)
        .select_related("organization", "department")
        .annotate(current=current_status()),
        pk=pk,
    )


def _steps_of(person: Person) -> list[DevelopmentStep]:
    return list(
        person.development_steps.select_related("recorded_by")
        .prefetch_related(
            Prefetch("participants", queryset=StepParticipant.objects.select_related("person")),
            "documents",
        )
        .order_by("done_on", "id")
    )


def _timeline(steps: list[DevelopmentStep], pipeline: rules.Pipeline) -> list[dict]:
    """The five stages, each with its steps in the 细则's order: the recorded ones (all
    rows of a repeated step), then the numbered steps not done, shown greyed (or as
    covered by an imported milestone)."""
    stages = []
    for stage in Stage:
        items = []
        specs = sorted(
            (s for s in SPECS.values() if s.stage == stage), key=lambda s: s.number or 99
        )
        for spec in specs:
            recorded = [s for s in steps if s.code == spec.code]
            paperwork = form_for_step(spec.code)
            for step in recorded:
                items.append(
                    {"spec": spec, "label": label(spec.code), "step": step, "paperwork": paperwork}
                )
            if not recorded and spec.number:
                covered = pipeline.has(spec.code)
                items.append({"spec": spec, "label": label(spec.code), "covered": covered})
        stages.append({"code": stage, "label": stage.label, "items": items})
    return stages


@login_required
def person_timeline(request, pk: int):
    person = _visible_person(request, pk)
    audit.record(
        "development.view",
        actor=request.user,
        obj=person,
        org_path=person.organization.path,
        ip_address=client_ip(request),
    )
    steps = _steps_of(person)
    pipeline = pipeline_for(person, steps)
    today = timezone.localdate()
    can_write = may_record_step(request.user, person)
    context = {
        "person": person,
        "current_label": Status(person.current).label if person.current else _("群众"),
        "stages": _timeline(steps, pipeline),
        "due_list": _due_view(rules.due_items(pipeline, today), today),
        "candidate_eligible_on": rules.candidate_eligible_on(pipeline),
        "probation_ends_on": pipeline.probation_ends_on,
        "next_steps": _choices(available_steps(pipeline)) if can_write else [],
        "can_write": can_write,
        "today": today,
    }
    return private(render(request, "development/person.html", context))


# ---- recording one step ---------------------------------------------------------------
def _participant_choices(request, person: Person):
    """Full members of the person's hospital that the user may see."""
    return (
        Person.objects.visible_to(request.user)
        .filter(organization__path__startswith=person.organization.hospital_path)
        .annotate(current=current_status())
        .filter(current=Status.FULL)
        .exclude(pk=person.pk)
        .select_related("organization")
        .order_by("organization__path", "name", "pk")
    )


@login_required
def record(request, pk: int):
    """GET `?code=` shows the step's form (without it, the choice of steps); POST records
    through `services.record_step`; a refusal is shown and nothing is written."""
    person = writable_person(
        request,
        pk,
        _("没有登记发展步骤的权限"),
        people=Person.objects.select_related("organization", "department").annotate(
            current=current_status()
        ),
    )
    today = timezone.localdate()
    pipeline = pipeline_for(person, list(person.development_steps.all()))
    specs = available_steps(pipeline)
    code = request.GET.get("code", "")
    context = {"person": person, "today": today, "specs": specs}
    if code not in {spec.code for spec in specs}:
        if code in SPECS:
            # Why it cannot be recorded now, in the rules' own words.
            proposal = rules.Proposal(code=code, done_on=today)
            context["blocked"] = label(code)
            context["blocked_reasons"] = rules.check(pipeline, proposal, today).refusals
        elif code:
            context["blocked"] = code
            context["blocked_reasons"] = [_("未知的发展步骤")]
        context["choice"] = StepChoiceForm(specs=specs)
        return private(render(request, "development/record_choose.html", context))
    spec = SPECS[code]
    participants = _participant_choices(request, person)
    if request.method == "POST":
        form = StepForm(request.POST, spec=spec, participants=participants)
        documents = DocumentFormSet(request.POST, request.FILES, prefix="doc")
        if form.is_valid() and documents.is_valid():
            try:
                step = record_step(person, form.to_input(documents_of(documents)), by=request.user)
            except DevelopmentError as refused:
                for reason in refused.reasons:
                    form.add_error(None, reason)
            else:
                messages.success(request, _("已登记“%(step)s”。") % {"step": label(code)})
                if step.late_note:
                    messages.warning(
                        request, _("已登记，但逾期：%(note)s") % {"note": step.late_note}
                    )
                return redirect("development:person", pk=person.pk)
    else:
        form = StepForm(initial=today_initial(today), spec=spec, participants=participants)
        documents = DocumentFormSet(prefix="doc")
    context.update({"spec": spec, "step_label": label(code), "form": form, "documents": documents})
    context["due_list"] = _due_view(rules.due_items(pipeline, today), today)
    context["candidate_eligible_on"] = rules.candidate_eligible_on(pipeline)
    return private(render(request, "development/record_step.html", context))


# ---- the branch assembly's vote -------------------------------------------------------
def _full_members_on(org: Organization, day) -> int:
    """Full members with an organisation relation in the branch on `day`: those entitled
    to attend and vote (应到会有表决权的正式党员)."""
    return (
        memberships_on(org.path, day)
        .annotate(status_at=status_on(day))
        .filter(status_at=Status.FULL)
        .values("person")
        .distinct()
        .count()
    )


def _vote_candidates(request, org: Organization, today) -> dict[int, object]:
    """People of the branch whose next step is an assembly vote (admission or full
    membership), by pk, in board order."""
    candidates = {}
    for row in pipeline_rows(_people_in(request, org), today):
        codes = {spec.code for spec in available_steps(row.pipeline)}
        code = next((c for c in VOTE_CODES if c in codes), None)
        if code:
            row.vote_code, row.vote_label = code, label(code)
            row.stage_label = Status(row.status).label
            candidates[row.person.pk] = row
    return candidates


@login_required
def assembly_vote(request, code: str):
    """One 支部党员大会 voting on several candidates at once, all or nothing."""
    org = get_object_or_404(Organization.objects.visible_to(request.user), code=code)
    if org.kind != OrgKind.BRANCH:
        raise Http404(_("支部党员大会只能在党支部登记"))
    if not may_hold_assembly(request.user, org):
        raise PermissionDenied(_("没有登记支部党员大会的权限"))
    today = timezone.localdate()
    candidates = _vote_candidates(request, org, today)
    if request.method == "POST":
        meeting = AssemblyForm(request.POST)
        tallies = TallyFormSet(request.POST, prefix="tally")
        if meeting.is_valid() and tallies.is_valid():
            chosen = [f for f in tallies if f.cleaned_data.get("include")]
            if not chosen:
                meeting.add_error(None, _("请至少勾选一名表决对象"))
            elif any(f.cleaned_data["person"] not in candidates for f in chosen):
                meeting.add_error(None, _("表决名单已变化，请刷新页面后重新填写"))
            else:
                entitled = _full_members_on(org, meeting.cleaned_data["done_on"])
                steps = record_assembly(meeting, chosen, candidates, entitled, by=request.user)
                if steps is not None:
                    messages.success(
                        request, _("已登记 %(n)d 人的支部党员大会表决结果。") % {"n": len(steps)}
                    )
                    for step in steps:
                        if step.late_note:
                            messages.warning(request, f"{step.person.name}：{step.late_note}")
                    return redirect(
                        f"{reverse('development:board')}?{urlencode({'org': org.code})}"
                    )
                meeting.add_error(None, _("有表决对象未通过校验，本次表决均未登记。"))
    else:
        entitled_today = _full_members_on(org, today)
        meeting = AssemblyForm(initial=today_initial(today))
        tallies = TallyFormSet(
            initial=tally_initial(candidates.values(), entitled_today), prefix="tally"
        )
    rows = [(form, candidates.get(form.person_pk())) for form in tallies]
    context = {"org": org, "meeting": meeting, "tallies": tallies, "rows": rows, "today": today}
    return private(render(request, "development/assembly_vote.html", context))


# ---- documents ------------------------------------------------------------------------
@login_required
def document(request, pk: int):
    """A step's file, as an attachment, to those who may see the person; audited as an
    export of personal data."""
    visible = Person.objects.visible_to(request.user).values("pk")
    doc = get_object_or_404(
        StepDocument.objects.select_related("step__person__organization").filter(
            step__person__in=visible
        ),
        pk=pk,
    )
    person = doc.step.person
    return audited_download(
        request, doc, action="development.export", obj=person,
        org_path=person.organization.path, summary={"document": doc.pk, "step": doc.step.code},
    )  # fmt: skip


urlpatterns = [
    path("", board, name="board"),
    path("due/", due, name="due"),
    path("person/<int:pk>/", person_timeline, name="person"),
    path("person/<int:pk>/step/", record, name="record"),
    path("org/<str:code>/vote/", assembly_vote, name="vote"),
    path("document/<int:pk>/", document, name="document"),
]
