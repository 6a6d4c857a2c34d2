"""The top navigation, per role.

Runs on every page, so it may cost at most one query of its own (the unread count); the
scope comes from `scope_for`, which is cached on the request's user.
"""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from .models import Role
from .scope import scope_for

# Areas opened less often than daily, listed under “更多” so the bar stays one line.
MORE = {
    "decisions", "service", "points", "learning", "surveys", "care", "assessment",
    "assessment:scores", "honors", "service:partnerships", "brands",
}  # fmt: skip


def _unread_count(user) -> int:
    return user.notices.filter(read_at__isnull=True).count()


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    match = getattr(request, "resolver_match", None)
    section = match.namespace if match else ""
    view_name = match.view_name if match else ""
    items = []
    if Role.GUIDANCE in scope.roles:
        items.append(("home:city", "home:city", _("全市概览")))
        items.append(("home:city_screen", "home:city_screen", _("大屏")))
    if Role.OFFICE in scope.roles:
        items.append(("home:office", "home:office", _("待办")))
    if Role.SECRETARY in scope.roles:
        items.append(("home:branch", "home:branch", _("支部首页")))
    if scope.self_person_id is not None:
        items.append(("home:member", "home:member", _("我的首页")))
    if scope.org_paths:
        items.append(("dashboard", "dashboard:home", _("统计看板")))
        if scope.roles & {Role.OFFICE, Role.GUIDANCE}:
            items.append(("assessment", "assessment:bulletin", _("党政管理通报")))
            items.append(("assessment:scores", "assessment:scores", _("考核评分")))
        elif Role.SECRETARY in scope.roles:  # the branch's 民主评议党员 and its scores
            items.append(("assessment", "assessment:appraisal", _("考核评议")))
        items.append(("orgs", "orgs:tree", _("组织")))
    if scope.people_paths:
        items.append(("people", "people:list", _("党员名册")))
        items.append(("development", "development:board", _("发展党员")))
        items.append(("meetings", "meetings:list", _("组织生活")))
        items.append(("dues", "dues:month", _("党费")))
        items.append(("tasks", "tasks:list", _("任务清单")))
        items.append(("decisions", "decisions:register", _("三重一大")))
        items.append(("notices", "notices:list", _("通知公告")))
        items.append(("service", "service:activities", _("志愿服务")))
        items.append(("points", "points:ranking", _("党员积分")))
        items.append(("learning", "learning:courses", _("学习")))
        items.append(("surveys", "surveys:list", _("问卷投票")))
        items.append(("honors", "honors:list", _("荣誉表彰")))
        items.append(("service:partnerships", "service:partnerships", _("结对共建")))
        items.append(("brands", "brands:list", _("党建品牌")))
        if scope.write_paths:  # sensitive: the office and secretaries only
            items.append(("care", "care:register", _("党内关怀")))
    elif scope.self_person_id is not None:  # a member: their own dues and study
        items.append(("dues", "dues:mine", _("我的党费")))
        items.append(("learning", "learning:mine", _("我的学习")))
        items.append(("meetings:calendar_member", "meetings:calendar_member", _("我的会议日历")))
        items.append(("tasks", "tasks:mine", _("我的任务")))
        items.append(("points", "points:mine", _("我的积分")))
        items.append(("notices", "notices:mine", _("通知公告")))
        items.append(("surveys", "surveys:mine", _("我的问卷")))
    more = MORE if scope.people_paths else set()  # a member's few items all fit
    entries = [
        {"url_name": url_name, "label": label, "active": key in (section, view_name), "key": key}
        for key, url_name, label in items
    ]
    return {
        "nav": {
            # What fits on one line of a laptop's screen; the rest under “更多”.
            "items": [e for e in entries if e["key"] not in more],
            "more": [e for e in entries if e["key"] in more],
            "section": section,
            # The roster import is the Party office's work (JOURNEYS.md).
            "can_import": Role.OFFICE in scope.roles,
            "is_auditor": bool(scope.audit_paths),
            "is_account_admin": bool(scope.account_paths),
            "is_secadmin": bool(scope.secadmin_paths),
            # Lazy: pages that never show the badge (e.g. htmx fragments) pay nothing.
            "unread": SimpleLazyObject(lambda: _unread_count(user)),
        }
    }
