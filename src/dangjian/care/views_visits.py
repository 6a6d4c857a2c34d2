"""慰问台账: the visits of a year in a subtree, recording one with a quick form, the
figures a Party office reports, and the workbook. Same scope as the register
(`care.pages.care_org`: the office and secretaries, 404 for anyone else); reads of
people's visits are audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core import audit
from dangjian.core.pages import client_ip, private, year_param

from . import queries, services
from .forms import QuickVisitForm
from .pages import audited, care_org, members_of, person_label
from .services import CareError, VisitInput

PAGE_SIZE = 50


@login_required
def visits(request):
    org = care_org(request)
    year = year_param(request, timezone.localdate().year)
    rows = queries.visit_rows(queries.in_year(queries.visits_in(request.user, org), year))
    audited(request, "care.list", org, year=year)
    context = {
        "org": org,
        "year": year,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "extra_query": f"org={org.code}&year={year}",
    }
    return private(render(request, "care/visits.html", context))


@login_required
def visit_new(request):
    org = care_org(request)
    people = members_of(org)
    # 登记慰问 from a person (`?person=`): that person chosen already.
    chosen = request.GET.get("person", "")
    initial = {"person": chosen} if chosen.isdigit() else {}
    form = QuickVisitForm(request.POST or None, people=people, initial=initial)
    form.fields["person"].label_from_instance = person_label
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person")
        try:
            services.record_visit(person, VisitInput(**data), by=request.user)
        except CareError as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("已登记慰问。"))
            return redirect(f"{reverse('care:visits')}?org={org.code}")
    return private(render(request, "care/visit_new.html", {"org": org, "form": form}))


@login_required
def figures(request):
    """Counts and sums only: no person is shown, so the read is not audited."""
    org = care_org(request)
    year = year_param(request, timezone.localdate().year)
    found = queries.figures(request.user, org, year)
    context = {
        "org": org,
        "year": year,
        "total": found["total"],
        "reasons": queries.reason_rows(found["total"]),
        "branches": found["branches"],
    }
    return private(render(request, "care/figures.html", context))


@login_required
def export(request):
    from .export import build_workbook

    org = care_org(request)
    today = timezone.localdate()
    year = year_param(request, today.year)
    content = build_workbook(request.user, org, year, today)
    audit.record(
        "care.export", actor=request.user, object_type="care.carevisit", org_path=org.path,
        summary={"org": org.code, "year": year}, ip_address=client_ip(request),
    )  # fmt: skip
    name = f"{org.code}-慰问台账-{year}-{today:%Y%m%d}.xlsx"
    return private(FileResponse(content, as_attachment=True, filename=name))
