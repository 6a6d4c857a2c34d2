"""Member list and member page. Every read of a member page is audited (personal data,
SPEC.md §5); unmasking ID-card and phone numbers needs the reveal right and a reason."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from dangjian.accounts.scope import reading_path, scope_for
from dangjian.core import audit
from dangjian.core.pages import audit_read, client_ip

from .filters import PersonFilter
from .forms import RevokeForm
from .models import MEMBER_STATUSES, Person
from .paging import LAST, BadCursor, CursorOfAnotherOrder, cached_count, seek
from .queries import current_status, has_open_relation
from .standing import revocable
from .tables import PageRows, PersonTable, sort_order


class RevealForm(forms.Form):
    reason = forms.CharField(
        label=_("查看原因"),
        max_length=200,
        strip=True,
        error_messages={"required": _("请填写查看完整号码的原因。")},
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": _("例如：办理组织关系转接核对身份")}
        ),
    )


class PersonListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """The 党员名册, paged by key (people.paging): 首页, 上一页, 下一页 and 末页 links, and the
    total. A Party office turns a page or two, or narrows the list by a filter; jumping to
    page 37 of 977 is no one's work, so there are no page numbers to cost an OFFSET."""

    table_class = PersonTable
    filterset_class = PersonFilter
    template_name = "people/person_list.html"
    table_pagination = False  # the keyset page is the table's data
    per_page = 25

    def get(self, request, *args, **kwargs):
        filters = {k: v for k, v in request.GET.items() if v and k not in ("page", "cursor")}
        audit_read(
            request,
            "person.list",
            org_path=reading_path(request.user),
            summary={"filters": filters},
        )
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return (
            Person.objects.visible_to(self.request.user)
            .select_related("organization", "department")
            .annotate(current_status=current_status(), has_relation=has_open_relation())
        )

    def get_table_data(self):
        sort, keyset = sort_order(self.request.GET.get("sort", ""))
        cursor = self.request.GET.get("cursor", "")
        self.bad_cursor = False
        try:
            self.page = seek(self.object_list, keyset, sort, cursor, self.per_page)
        except CursorOfAnotherOrder:  # a column header clicked on a later page
            self.page = seek(self.object_list, keyset, sort, None, self.per_page)
        except BadCursor:
            self.bad_cursor = True
            self.page = seek(self.object_list, keyset, sort, None, self.per_page)
        return PageRows(self.page.rows)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = self.page
        context.update(
            total=cached_count(self.object_list),
            keeps_registry=bool(scope_for(self.request.user).registry_paths),
            bad_cursor=self.bad_cursor,
            first_url=self._link("") if page.has_previous else None,
            previous_url=self._link(page.previous_cursor),
            next_url=self._link(page.next_cursor),
            last_url=self._link(LAST) if page.has_next else None,
        )
        return context

    def _link(self, cursor: str | None) -> str | None:
        """This list (filters and sort kept) at `cursor` (its first page for ""); None for
        a page that is not there."""
        if cursor is None:
            return None
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("cursor", None)
        if cursor:
            query["cursor"] = cursor
        return f"?{query.urlencode()}"


def _visible_person(request, pk: int) -> Person:
    return get_object_or_404(
        Person.objects.visible_to(request.user).select_related("organization", "department"),
        pk=pk,
    )


def _render_detail(request, person: Person, *, form=None, revealed: bool = False):
    scope = scope_for(request.user)
    can_reveal = scope.can_reveal(person.organization)
    keeps_registry = scope.keeps_registry(person.organization)
    statuses = list(person.statuses.all())
    context = {
        "person": person,
        "statuses": statuses,
        "current": next((s for s in statuses if s.ended_on is None), None),
        "memberships": person.memberships.select_related("organization"),
        "seats": person.seats.select_related("organization").order_by("-started_on"),
        "transfers": person.transfers.select_related("organization", "to_organization"),
        "mobile_periods": person.mobile_periods.all(),
        "member_statuses": MEMBER_STATUSES,
        "can_reveal": can_reveal,
        "reveal_form": (form or RevealForm()) if can_reveal else None,
        "revealed": revealed,
        "keeps_registry": keeps_registry,
        "revocable": revocable(person) if keeps_registry else None,
        "revoke_form": RevokeForm() if keeps_registry else None,
    }
    response = render(request, "people/person_detail.html", context)
    # Personal data: never kept in a shared or browser cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
def person_detail(request, pk: int):
    person = _visible_person(request, pk)
    audit.record(
        "person.view",
        actor=request.user,
        obj=person,
        org_path=person.organization.path,
        ip_address=client_ip(request),
    )
    return _render_detail(request, person)


@login_required
@require_POST
def person_reveal(request, pk: int):
    """Show the full ID-card and phone numbers once, with the reason in the audit log."""
    person = _visible_person(request, pk)
    if not scope_for(request.user).can_reveal(person.organization):
        raise PermissionDenied
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, person, form=form)
    audit.record(
        "person.reveal",
        actor=request.user,
        obj=person,
        org_path=person.organization.path,
        summary={"reason": form.cleaned_data["reason"]},
        ip_address=client_ip(request),
    )
    return _render_detail(request, person, revealed=True)
