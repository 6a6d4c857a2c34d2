"""The office's committee pages: appoint a member to a post of an organisation's committee
(the hospital's 党委班子 included) and record a member leaving it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from dangjian.core.forms import date_input
from dangjian.core.pages import private

from .committees import appoint, eligible_people, end_seat
from .models import CommitteePost, CommitteeSeat, Organization
from .pages import kept_org
from .services import OrgError


class SeatForm(forms.Form):
    person = forms.ModelChoiceField(
        label=gettext_lazy("人员"), queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    post = forms.ChoiceField(
        label=gettext_lazy("党内职务"), choices=CommitteePost.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip
    started_on = forms.DateField(label=gettext_lazy("任职日期"), widget=date_input())

    def __init__(self, *args, org: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = eligible_people(org)
        self.fields["person"].label_from_instance = lambda p: (
            f"{p.name}（{p.organization.name}）" if p.organization_id != org.pk else p.name
        )
        self.fields["started_on"].initial = timezone.localdate()


def _kept_org(request, code: str) -> Organization:
    return kept_org(request, code, _("只有党委办公室可以登记委员任职"))


@login_required
def appoint_seat(request, code: str):
    org = _kept_org(request, code)
    form = SeatForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            appoint(org, data["person"], data["post"], data["started_on"], by=request.user)
        except OrgError as exc:
            form.add_error(None, str(exc))
        else:
            label = CommitteePost(data["post"]).label
            messages.success(
                request,
                _("已登记 %(name)s 任%(post)s。") % {"name": data["person"].name, "post": label},
            )
            return redirect("orgs:detail", code=org.code)
    return private(render(request, "orgs/appoint.html", {"org": org, "form": form}))


@login_required
@require_POST
def leave_seat(request, code: str, seat_id: int):
    org = _kept_org(request, code)
    seat = get_object_or_404(
        CommitteeSeat.objects.select_related("person"), pk=seat_id, organization=org
    )
    field = forms.DateField()
    try:
        ended_on = field.clean(request.POST.get("ended_on"))
        end_seat(seat, ended_on, by=request.user)
    except forms.ValidationError:
        messages.error(request, _("请填写离任日期"))
    except OrgError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已登记 %(name)s 离任。") % {"name": seat.person.name})
    return redirect("orgs:detail", code=org.code)
