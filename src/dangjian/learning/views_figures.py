"""The learning figures of a subtree (a hospital's by default): members who reached the
yearly class hours, the average hours, per organisation. One aggregation query."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.accounts.scope import scope_for
from dangjian.core.pages import audit_read, year_param
from dangjian.orgs.pages import chosen_org

from .queries import learning_figures


@login_required
def figures(request):
    org = chosen_org(request)
    if not scope_for(request.user).can_read_people(org):
        raise Http404(_("没有可查看的党组织"))
    year = year_param(request, timezone.localdate().year)
    audit_read(request, "learning.figures", org_path=org.path, summary={"org": org.code})
    return render(
        request, "learning/figures.html",
        {"org": org, "year": year, "figures": learning_figures(org, year)},
    )  # fmt: skip


urlpatterns = [path("figures/", figures, name="figures")]
