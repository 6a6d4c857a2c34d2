"""The dashboard: the figures of `compute_stats` for one visible subtree and period, with
charts and a comparison of the organisation's children (drill down by clicking)."""

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.core import audit
from dangjian.core.datacache import UNIT_CHARS
from dangjian.core.forms import date_input
from dangjian.core.pages import client_ip, private
from dangjian.dashboard.labels import LABELS, SECTION_OF, SECTIONS, flatten, format_value
from dangjian.dashboard.stats import PeriodError, compute_stats, resolve_period
from dangjian.meetings.queries import meeting_report
from dangjian.orgs.models import Organization
from dangjian.orgs.queries import visible_ancestors

from .export import build_city_workbook
from .permissions import may_export_stats
from .queries import branches_by_category, comparison, unit_comparison


class PeriodForm(forms.Form):
    """`?org=CODE&from=YYYY-MM-DD&to=YYYY-MM-DD`; `from` is a keyword, hence __init__."""

    org = forms.CharField(label=gettext_lazy("组织编码"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        small = "form-control form-control-sm"
        self.fields["from"] = forms.DateField(
            label=gettext_lazy("开始日期"), required=False, widget=date_input(small)
        )
        self.fields["to"] = forms.DateField(
            label=gettext_lazy("截止日期"), required=False, widget=date_input(small)
        )
        self.fields["org"].widget.attrs["class"] = "form-control form-control-sm"

    def clean(self):
        data = super().clean()
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            raise forms.ValidationError(_("开始日期不能晚于截止日期"))
        return data


# A province compares a thousand hospitals: the table and the chart show a page of them,
# in the order the user picks (rank by a figure, or by code as in the tree).
COMPARISON_PAGE_SIZE = 50
COMPARISON_ORDERS = {
    "": (gettext_lazy("按组织顺序"), None),
    "members": (gettext_lazy("党员数从多到少"), "member_count"),
    "dual": (gettext_lazy("“双带头人”比例从高到低"), "dual_ratio"),
    "dual_low": (gettext_lazy("“双带头人”比例从低到高"), "dual_ratio"),
    "compliance": (gettext_lazy("组织生活按期开展率从高到低"), "compliance_ratio"),
    "compliance_low": (gettext_lazy("组织生活按期开展率从低到高"), "compliance_ratio"),
}


def _ordered(children: list, order: str) -> list:
    """The children in `order` (COMPARISON_ORDERS); a figure of None (nothing to measure)
    comes last either way, ties by tree order."""
    field = COMPARISON_ORDERS.get(order, ("", None))[1]
    if field is None:
        return children
    low_first = order.endswith("_low")

    def key(child):
        value = getattr(child, field)
        if value is None:
            return (1, 0, child.path)
        return (0, value if low_first else -value, child.path)

    return sorted(children, key=key)


def _comparison_page(org, start, day, meetings, order: str, number):
    """The page of the children's comparison shown. Above the hospitals in tree order (the
    default), only the page's children and their parts are read: after a write in one
    hospital a province's first view does not rebuild a thousand rows to show fifty."""
    if order or len(org.path) >= UNIT_CHARS:
        children = _ordered(comparison(org, start, day, meetings), order)
        return Paginator(children, COMPARISON_PAGE_SIZE).get_page(number)
    children = Organization.objects.get_children(org).order_by("path")
    page = Paginator(children, COMPARISON_PAGE_SIZE).get_page(number)
    unit_comparison(org, start, day, list(page))
    return page


def _period(form: PeriodForm) -> tuple[dt.date | None, dt.date | None]:
    if not form.is_bound or not form.is_valid():
        return None, None
    return form.cleaned_data.get("from"), form.cleaned_data.get("to")


def _cards(figures: dict) -> list[dict]:
    flat = flatten(figures)
    return [
        {"key": key, "label": label, "value": format_value(key, flat[key])}
        for key, label in LABELS.items()
        if key in flat
    ]


def _sections(cards: list[dict]) -> list[dict]:
    """The cards under their family's heading ({"title", "cards"}), in SECTIONS' order."""
    grouped: dict[str, list] = {}
    for card in cards:
        family = card["key"].split(".", 1)[0]
        grouped.setdefault(SECTION_OF.get(family, family), []).append(card)
    return [
        {"title": SECTIONS[name], "cards": grouped[name]} for name in SECTIONS if name in grouped
    ]


def _query(code: str, date_from, date_to, **more) -> str:
    params = {"org": code}
    if date_from:
        params["from"] = date_from.isoformat()
    if date_to:
        params["to"] = date_to.isoformat()
    params.update({key: value for key, value in more.items() if value})
    return urlencode(params)


def _drill_url(code: str, date_from, date_to) -> str:
    return f"{reverse('dashboard:home')}?{_query(code, date_from, date_to)}"


DEVELOPMENT_FUNNEL = ("applied", "activists", "candidates", "admitted")


def _charts(figures: dict, categories: list[dict], children: list) -> dict:
    members, development = figures["members"], figures["development"]
    return {
        "status": {
            "type": "pie",
            "data": [
                {"name": _("正式党员"), "value": members["full"]},
                {"name": _("预备党员"), "value": members["probationary"]},
            ],
        },
        "employment": {
            "type": "pie",
            "data": [
                {"name": _("在职"), "value": members["in_service"]},
                {"name": _("离退休"), "value": members["retired"]},
            ],
        },
        "categories": {"type": "pie", "data": categories},
        "development": {
            "type": "bar",
            "categories": [_("申请入党"), _("积极分子"), _("发展对象"), _("发展党员")],
            "series": [
                {
                    "name": _("本期人数"),
                    "type": "bar",
                    "data": [development[key] for key in DEVELOPMENT_FUNNEL],
                }
            ],
        },
        "children": {
            "type": "bar",
            "categories": [c.name for c in children],
            "links": [c.drill_url for c in children],
            "series": [
                {"name": _("党员数"), "type": "bar", "data": [c.member_count for c in children]},
                {
                    "name": _("“双带头人”比例"),
                    "type": "line",
                    "percent": True,
                    "data": [
                        None if c.dual_ratio is None else round(c.dual_ratio * 100, 1)
                        for c in children
                    ],
                },
                {
                    "name": _("组织生活按期开展率"),
                    "type": "line",
                    "percent": True,
                    "data": [
                        None if c.compliance_ratio is None else round(c.compliance_ratio * 100, 1)
                        for c in children
                    ],
                },
            ],
        },
    }


@login_required
def home(request):
    form = PeriodForm(request.GET or None)
    visible = Organization.objects.visible_to(request.user)
    code = request.GET.get("org", "").strip()
    if code:
        org = get_object_or_404(visible, code=code)
    else:
        org = visible.order_by("depth", "path").first()
    if org is None:
        return render(request, "dashboard/home.html", {"form": form, "org": None})
    date_from, date_to = _period(form)
    try:
        start, day = resolve_period(date_from, date_to)
    except PeriodError as exc:  # e.g. a start after today with no end given
        form.add_error(None, str(exc))
        date_from = date_to = None
        start, day = resolve_period(None, None)
    meetings = meeting_report(org.path, start, day)
    figures = compute_stats(org, start, day, meetings=meetings)
    order = request.GET.get("order", "")
    order = order if order in COMPARISON_ORDERS else ""
    page = _comparison_page(org, start, day, meetings, order, request.GET.get("page"))
    children = list(page)
    for child in children:
        child.drill_url = _drill_url(child.code, date_from, date_to)
        child.dual_ratio_text = format_value("dual_leader_ratio", child.dual_ratio)
        child.compliance_text = format_value("compliance_ratio", child.compliance_ratio)
    cards = _cards(figures)
    context = {
        "form": form,
        "org": org,
        "day": day,
        "date_from": date_from,
        "ancestors": visible_ancestors(request.user, org),
        "cards": cards,
        "sections": _sections(cards),
        "children": children,
        "page": page,
        "order": order,
        "orders": [(key, label) for key, (label, _field) in COMPARISON_ORDERS.items()],
        "extra_query": _query(org.code, date_from, date_to, order=order),
        "charts": _charts(figures, branches_by_category(org.path, day), children),
        "export_url": f"{reverse('dashboard:export')}?{_query(org.code, date_from, date_to)}"
        if may_export_stats(request.user, org)
        else "",
    }
    return render(request, "dashboard/home.html", context)


@login_required
def export(request):
    """The statistics workbook of a visible hospital or guidance committee, per hospital
    with the totals, for the period asked (as the page); to the guidance committee and the
    Party office; audited as an export."""
    org = get_object_or_404(
        Organization.objects.visible_to(request.user), code=request.GET.get("org", "").strip()
    )
    if not may_export_stats(request.user, org):
        raise PermissionDenied(_("没有导出统计表的权限"))
    form = PeriodForm(request.GET)
    if not form.is_valid():
        raise Http404(form.errors.as_text())
    date_from, date_to = _period(form)
    try:
        content = build_city_workbook(org, date_from, date_to)
    except PeriodError as exc:
        raise Http404(str(exc)) from exc
    audit.record(
        "dashboard.export", actor=request.user, obj=org, org_path=org.path,
        ip_address=client_ip(request),
        summary={"org": org.code, "from": str(date_from or ""), "to": str(date_to or "")},
    )  # fmt: skip
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(
        True, f"党建统计-{org.name}-{resolve_period(date_from, date_to)[1]:%Y%m%d}.xlsx"
    )
    return private(response)
