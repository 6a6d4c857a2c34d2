"""What the dues pages share: which organisation a list is about, the month asked for,
the words for a level of arrears, the page size."""

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.orgs.pages import chosen_org

from .forms import parse_month
from .permissions import may_read
from .queries import arrears_level
from .services import first_of_month

PAGE_SIZE = 50


def reader_org(request):
    """The organisation of a list page; only roles that read people may open it."""
    if not may_read(request.user):
        raise Http404(_("没有可查看的党组织"))
    return chosen_org(request)


def month_param(request) -> dt.date:
    """`month=YYYY-MM` from the query or the form; this month (with a message) if bad."""
    raw = request.GET.get("month", "") or request.POST.get("month", "")
    if not raw:
        return first_of_month(timezone.localdate())
    month = parse_month(raw)
    if month is None:
        messages.error(
            request, _("月份“%(value)s”格式应为 年-月，如 2024-03；已显示本月") % {"value": raw}
        )
        return first_of_month(timezone.localdate())
    return month


def arrears_text(months: int) -> str:
    level = arrears_level(months)
    if level == "handle":
        return _(
            "已有 %(n)d 个月未交纳党费，须按规定处理（由支部党员大会讨论决定，系统不会自动变更党籍）"
        ) % {"n": months}
    if level == "remind":
        return _("已有 %(n)d 个月未交纳党费，请及时交纳") % {"n": months}
    return ""
