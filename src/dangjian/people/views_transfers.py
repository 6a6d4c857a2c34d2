"""The transfer pages (组织关系转接, people.transfers): the office's list of what waits on
either side, starting a transfer within the system, issuing a 介绍信 out of it,
registering a member who arrives from outside, and each transfer's page with what the
user's side may do next."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.accounts.scope import scope_for
from dangjian.core import audit
from dangjian.core.pages import private

from .export import DOCX_CONTENT_TYPE, transfer_letter
from .forms_transfers import LetterForm, ReasonForm, ReceiptForm, TransferForm, TransferInForm
from .models import TransferDirection, TransferState
from .queries import open_status_period, receiving_orgs, registry_orgs, transfers_for
from .services import PeopleError
from .transfers import (
    accept_transfer,
    issue_letter,
    record_receipt,
    register_member_in,
    return_transfer,
    start_transfer,
    void_letter,
    withdraw_transfer,
)
from .views_registry import registry_person

S = TransferState
RECENT = 50


def _office_only(request):
    if not scope_for(request.user).registry_paths:
        raise PermissionDenied(_("只有党委办公室可以办理组织关系转接"))


@login_required
def transfer_list(request):
    _office_only(request)
    scope = scope_for(request.user)
    rows = list(transfers_for(request.user).order_by("-created_at", "-id")[:200])
    today = timezone.localdate()
    incoming, outgoing, letters, done = [], [], [], []
    for t in rows:
        if t.state == S.PENDING and scope.keeps_registry(t.to_organization):
            incoming.append(t)
        elif t.state == S.PENDING:
            outgoing.append(t)
        elif t.state == S.ISSUED:
            t.overdue = t.valid_until is not None and t.valid_until < today
            letters.append(t)
        elif len(done) < RECENT:
            done.append(t)
    context = {"incoming": incoming, "outgoing": outgoing, "letters": letters, "done": done}
    return private(render(request, "people/transfer_list.html", context))


@login_required
def start(request, pk: int):
    """Start a transfer within the system (accepted at once inside the user's registry)."""
    person = registry_person(request, pk)
    form = TransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        here = scope_for(request.user).keeps_registry(data["to_org"])
        try:
            transfer = start_transfer(
                person, data["to_org"], data["on"], reason=data["reason"], by=request.user,
                accept_now=here,
            )  # fmt: skip
        except PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            if here:
                messages.success(request, _("已转入 %(org)s。") % {"org": data["to_org"].name})
            else:
                messages.success(request, _("已发起转接，等待 %(org)s 所在党委接收。")
                                 % {"org": data["to_org"].name})  # fmt: skip
            return redirect("people:transfer_detail", pk=transfer.pk)
    return private(render(request, "people/transfer_form.html", {"person": person, "form": form}))


@login_required
def org_options(request):
    """The `<option>`s of the receiving-organisation search (htmx, as the user types)."""
    _office_only(request)
    orgs = receiving_orgs(request.GET.get("to_org", ""))
    return render(request, "people/_org_options.html", {"orgs": orgs})


@login_required
def letter(request, pk: int):
    """Issue a 介绍信 out of the system."""
    person = registry_person(request, pk)
    form = LetterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = issue_letter(
                person, data["to_unit"], data["on"], valid_days=data["valid_days"],
                dues_paid_to=data["dues_paid_to"], reason=data["reason"], by=request.user,
            )  # fmt: skip
        except PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, _("已开具第 %(n)s 号介绍信。") % {"n": transfer.letter_number}
            )
            return redirect("people:transfer_detail", pk=transfer.pk)
    return private(render(request, "people/letter_form.html", {"person": person, "form": form}))


@login_required
def transfer_in(request):
    """Register a member arriving from outside the system with their letter."""
    orgs = registry_orgs(request.user)
    if not orgs.exists():
        raise PermissionDenied(_("只有党委办公室可以办理组织关系转接"))
    form = TransferInForm(request.POST or None, organizations=orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer = register_member_in(
                data, data["from_unit"], data["letter_number"], data["on"],
                returning=form.returning, by=request.user,
            )  # fmt: skip
        except PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已登记转入：%(name)s。") % {"name": transfer.person.name})
            return redirect("people:detail", pk=transfer.person_id)
    context = {
        "form": form,
        "person": None,
        "stage_fields": [form[name] for name in form.fields if name.startswith("stage_")],
        "heading": _("登记转入（系统外）"),
        "lead": _("持组织关系介绍信从本系统以外转来的党员：填写其信息、介绍信编号和转入日期。"
                  "曾从本系统转出的党员转回时，其原有记录和政治面貌保留，无需再填发展各阶段日期。"
                  "本系统内其他医院转来的，由对方发起转接，在“组织关系转接”中接收。"),
    }  # fmt: skip
    return private(render(request, "people/person_form.html", context))


def _transfer(request, pk: int):
    return get_object_or_404(transfers_for(request.user), pk=pk)


def _sides(request, transfer) -> dict:
    scope = scope_for(request.user)
    return {
        "sender": scope.keeps_registry(transfer.organization),
        "receiver": transfer.to_organization is not None
        and scope.keeps_registry(transfer.to_organization),
    }


@login_required
def detail(request, pk: int):
    transfer = _transfer(request, pk)
    period = open_status_period(transfer.person)
    context = {
        "transfer": transfer,
        "status_label": period.get_status_display() if period else _("群众"),
        "reason_form": ReasonForm(),
        "receipt_form": ReceiptForm(),
        "is_within": transfer.direction == TransferDirection.WITHIN,
        **_sides(request, transfer),
    }
    return private(render(request, "people/transfer_detail.html", context))


def _act(request, pk: int, side: str, action, done: str, form_class=None):
    """Run `action(transfer, **form data)` for the side allowed to, then back to the page."""
    transfer = _transfer(request, pk)
    if not _sides(request, transfer)[side]:
        raise PermissionDenied(_("该操作应由对方党组织办理"))
    kwargs = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            errors = [e for field_errors in form.errors.values() for e in field_errors]
            messages.error(request, " ".join(errors))
            return redirect("people:transfer_detail", pk=transfer.pk)
        kwargs = form.cleaned_data
    try:
        action(transfer, by=request.user, **kwargs)
    except PeopleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("people:transfer_detail", pk=transfer.pk)


def _action_view(side: str, action, done, form_class=None):
    """A POST that runs `action` for the side allowed to (_act)."""

    @login_required
    @require_POST
    def view(request, pk: int):
        return _act(request, pk, side, action, str(done), form_class)

    return view


accept = _action_view(
    "receiver", accept_transfer, gettext_lazy("已接收，该党员自转接日期起计入本组织。")
)
send_back = _action_view("receiver", return_transfer, gettext_lazy("已退回。"), ReasonForm)
withdraw = _action_view("sender", withdraw_transfer, gettext_lazy("已撤回。"), ReasonForm)
receipt = _action_view("sender", record_receipt, gettext_lazy("已登记回执。"), ReceiptForm)
void = _action_view(
    "sender", void_letter, gettext_lazy("介绍信已作废，组织关系已恢复。"), ReasonForm
)


@login_required
def letter_docx(request, pk: int):
    transfer = _transfer(request, pk)
    if transfer.direction != TransferDirection.OUT or not _sides(request, transfer)["sender"]:
        raise PermissionDenied(_("只有开具介绍信的党组织可以下载"))
    audit.record(
        "transfer.letter_download", actor=request.user, obj=transfer.person,
        org_path=transfer.organization.path, summary={"letter": transfer.letter_number},
    )  # fmt: skip
    name = f"组织关系介绍信-{transfer.letter_number}-{transfer.person.name}.docx"
    response = FileResponse(
        io.BytesIO(transfer_letter(transfer)), as_attachment=True, filename=name,
        content_type=DOCX_CONTENT_TYPE,
    )  # fmt: skip
    return private(response)
