"""Study hours (学习教育): members of a subtree against the 32 class hours a year, a form
recording a study, a member's own record ("my study hours") and the hospital's choice of
the hours attending each kind of meeting credits."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.scope import scope_for
from dangjian.core.forms import date_input
from dangjian.core.pages import audit_read, year_param
from dangjian.orgs.pages import chosen_org
from dangjian.people.models import Person
from dangjian.people.pages import writable_person

from .models import Study, StudyKind
from .queries import study_hours
from .rules import DEFAULT_MEETING_HOURS, STUDY_HOURS_PER_YEAR, MeetingKind
from .services import MeetingError, record_study
from .study import hours_page, members_of
from .study_credit import CreditError, credit_settings, hospital_of, save_credit_settings

PAGE_SIZE = 50


class StudyForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("方式"), choices=StudyKind.choices)
    title = forms.CharField(label=gettext_lazy("内容"), max_length=200)
    studied_on = forms.DateField(label=gettext_lazy("日期"), widget=date_input())
    hours = forms.DecimalField(
        label=gettext_lazy("学时"), max_digits=5, decimal_places=1, min_value=0.5, max_value=24
    )


@login_required
def study_list(request):
    """Members of the subtree with their class hours this year, fewest first."""
    scope = scope_for(request.user)
    if not scope.people_paths:
        return redirect("meetings:my_study")
    org = chosen_org(request)
    year = year_param(request, timezone.localdate().year)
    people = Person.objects.visible_to(request.user).filter(organization__path__startswith=org.path)
    audit_read(request, "study.list", org_path=org.path, summary={"org": org.code, "year": year})
    page = Paginator(hours_page(members_of(people), year), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = page.object_list
    return render(
        request,
        "meetings/study_list.html",
        {"org": org, "year": year, "rows": rows, "page": page, "target": STUDY_HOURS_PER_YEAR,
         "extra_query": urlencode({"org": org.code, "year": year}),
         "can_write": scope.can_write(org)},
    )  # fmt: skip


@login_required
def study_record(request, pk: int):
    """Record a study for a member (writers of the member's organisation)."""
    person = writable_person(request, pk, _("没有登记学习记录的权限"))
    audit_read(request, "study.person", obj=person, org_path=person.organization.path)
    form = StudyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_study(person, by=request.user, **form.cleaned_data)
        except MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("学习记录已保存"))
            return redirect(f"{reverse('meetings:study')}?org={person.organization.code}")
    return render(request, "meetings/study_record.html", {"person": person, "form": form})


@login_required
def my_study(request):
    """A member's own study this year against the target."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404(_("账号未关联人员信息"))
    year = year_param(request, timezone.localdate().year)
    audit_read(request, "study.mine", obj=person, org_path=person.organization.path)
    studies = Study.objects.filter(person=person, studied_on__year=year).order_by("-studied_on")
    total = study_hours([person.pk], year).get(person.pk, 0.0)
    return render(
        request,
        "meetings/study_mine.html",
        {"person": person, "year": year, "studies": studies, "total": total,
         "target": STUDY_HOURS_PER_YEAR, "percent": min(100, round(total * 100 / STUDY_HOURS_PER_YEAR))},
    )  # fmt: skip


class CreditForm(forms.Form):
    """Per kind of meeting: whether attending credits class hours, and how many (blank:
    the meeting's length). The hours are checked by the service (rules.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in MeetingKind.choices:
            self.fields[f"{kind}-credits"] = forms.BooleanField(
                label=label, required=False,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )  # fmt: skip
            self.fields[f"{kind}-hours"] = forms.CharField(
                label=gettext_lazy("每次学时"), required=False, max_length=8,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm",
                                              "inputmode": "decimal", "aria-label": label}),
            )  # fmt: skip

    def rows(self):
        return [
            (label, self[f"{kind}-credits"], self[f"{kind}-hours"])
            for kind, label in MeetingKind.choices
        ]

    def choices(self) -> dict:
        data = self.cleaned_data
        return {
            kind: (data[f"{kind}-credits"], data[f"{kind}-hours"].strip() or None)
            for kind in MeetingKind.values
        }


@login_required
def study_credit(request):
    """The hospital office's choice, per kind of meeting, of the class hours attending
    credits (学时计入设置)."""
    hospital = hospital_of(chosen_org(request))
    if not scope_for(request.user).can_write(hospital):
        raise PermissionDenied(_("只有党委办公室可以设置学时计入"))
    initial = {}
    for kind, (credits, hours) in credit_settings(hospital).items():
        initial[f"{kind}-credits"] = credits
        initial[f"{kind}-hours"] = f"{hours:.1f}" if hours else ""
    form = CreditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_credit_settings(hospital, form.choices(), by=request.user)
        except CreditError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("学时计入设置已保存"))
            return redirect(f"{request.path}?org={hospital.code}")
    return render(
        request, "meetings/study_credit.html",
        {"hospital": hospital, "form": form, "default_hours": DEFAULT_MEETING_HOURS},
    )  # fmt: skip


urlpatterns = [
    path("study/credit/", study_credit, name="study_credit"),
    path("study/", study_list, name="study"),
    path("study/mine/", my_study, name="my_study"),
    path("study/person/<int:pk>/", study_record, name="study_record"),
]
