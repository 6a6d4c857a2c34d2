"""Nightly compliance reminders: each hospital's findings (`findings.collect`) go to the
inbox of the secretaries over the organisation concerned (a RoleGrant of role secretary
on it or on an organisation above it inside the hospital).

A finding is sent once per recipient. Its identity (organisation, kind and `ref`: the
term's end, the missed period, the person…) lives in the notice's link to the compliance
page, so a rerun, a retry or a second worker sends nothing twice and no table is needed
(the pattern of development/tasks.py).
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from dangjian.accounts.models import Role, RoleGrant
from dangjian.core.services import already_notified, send_notice
from dangjian.orgs.models import Organization
from dangjian.orgs.queries import hospitals

from .findings import Finding, collect

REMINDER_KIND = "compliance"
KIND_LABELS = {
    "branch_too_small": gettext_lazy("正式党员不足 3 名"),
    "branch_too_large": gettext_lazy("党员超过 50 名"),
    "committee_missing": gettext_lazy("未按规定设立支部委员会"),
    "reelection_due": gettext_lazy("即将换届"),
    "reelection_overdue": gettext_lazy("换届逾期"),
    "meetings_missing": gettext_lazy("组织生活未按规定开展"),
    "member_absent_6_months": gettext_lazy("党员连续 6 个月未参加组织生活"),
    "development_overdue": gettext_lazy("发展党员事项逾期"),
    "dues_arrears": gettext_lazy("党员欠交党费"),
    "task_overdue": gettext_lazy("任务逾期未销号"),
    "committee_too_large": gettext_lazy("支部委员会超过 7 人"),
    "committee_not_allowed": gettext_lazy("不足 7 名正式党员的支部设了支委会"),
    "org_form_mismatch": gettext_lazy("组织形式与党员人数不符"),
    "secretary_lecture_missing": gettext_lazy("支部书记全年未讲党课"),
    "theme_day_off_schedule": gettext_lazy("主题党日未按固定日开展"),
    "development_history_irregular": gettext_lazy("发展党员历史时间不合规"),
    "secretary_is_president": gettext_lazy("党委书记与院长由一人担任"),
}
# Findings whose own jobs already remind the people concerned (dues/reminders.py,
# tasks/reminders.py): not sent a second time from here.
OWN_REMINDERS = {"dues_arrears", "task_overdue"}


def reminder_link(finding: Finding) -> str:
    """The compliance page; the fragment is the finding's identity for deduplication."""
    page = reverse("compliance:page")
    return f"{page}?org={finding.org}#{finding.kind}-{finding.ref}"


def send_compliance_reminders(today: dt.date | None = None) -> int:
    """Returns the number of notices sent."""
    today = today or timezone.localdate()
    return sum(remind_hospital(hospital, today) for hospital in hospitals())


@transaction.atomic
def remind_hospital(hospital: Organization, today: dt.date) -> int:
    grants = list(
        RoleGrant.objects.filter(
            role=Role.SECRETARY,
            organization__path__startswith=hospital.path,
            user__is_active=True,
        ).select_related("user", "organization")
    )
    if not grants:
        return 0
    found = [f for f in collect(hospital, today) if f.kind not in OWN_REMINDERS]
    if not found:
        return 0
    links = [reminder_link(f) for f in found]
    already = already_notified(REMINDER_KIND, links, {grant.user_id for grant in grants})
    sent = 0
    for finding, link in zip(found, links, strict=True):
        recipients = {
            grant.user_id: grant.user
            for grant in grants
            if finding.path.startswith(grant.organization.path)
            and (grant.user_id, link) not in already
        }
        if recipients:
            title = _("组织生活合规提醒：%(what)s") % {
                "what": KIND_LABELS.get(finding.kind, finding.kind)
            }
            sent += send_notice(
                recipients.values(), title, finding.message, link=link, kind=REMINDER_KIND
            )
    return sent


@db_periodic_task(crontab(hour="2", minute="30"))
def compliance_reminders() -> int:
    """Every night; the lock keeps two workers from sending the same finding."""
    with lock_task("compliance-reminders"):
        return send_compliance_reminders()
