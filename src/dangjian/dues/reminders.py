"""Arrears reminders (RULES.md §1; 党章 第三十八条): at 3 unpaid months the member
is reminded in their own inbox; at 6 the secretaries over the member's branch and the
hospital's Party office are told the case must be handled under the rules. Nothing here
ever changes anyone's membership: the branch assembly decides.

A reminder is sent once per recipient, member, level and debt. The debt is named by its
oldest unpaid month (every unpaid month counts, whatever was paid after it), kept in the notice's link (a fragment), so a rerun,
a retry or a second worker sends nothing twice and no table is needed (the pattern of
development/tasks.py).
"""

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangjian.accounts.models import Role, RoleGrant
from dangjian.core.services import already_notified, send_notice
from dangjian.orgs.models import Organization
from dangjian.orgs.queries import hospitals

from . import rules
from .models import DuesBill
from .queries import arrears
from .services import first_of_month

REMINDER_KIND = "dues_arrears"
MONTH_KIND = "dues_month"
BASES_KIND = "dues_bases"
KIND_LABELS = {
    REMINDER_KIND: gettext_lazy("党费欠交提醒"),
    MONTH_KIND: gettext_lazy("本月党费交纳提醒"),
    BASES_KIND: gettext_lazy("党费基数核定提醒"),
}
HANDLER_ROLES = (Role.SECRETARY, Role.OFFICE)


def run_key(person) -> str:
    """The debt: its oldest unpaid month (a new one once that month is paid)."""
    return person.first_unpaid.strftime("%Y-%m")


def member_link(person) -> str:
    return f"{reverse('dues:mine')}#arrears-{person.pk}-remind-{run_key(person)}"


def handler_link(person) -> str:
    return f"{reverse('dues:arrears')}#arrears-{person.pk}-handle-{run_key(person)}"


def send_arrears_reminders(today: dt.date | None = None) -> int:
    """Remind at 3 months and report for handling at 6, hospital by hospital; returns
    the number of notices sent."""
    today = today or timezone.localdate()
    return sum(remind_hospital(hospital, today) for hospital in hospitals())


@transaction.atomic
def remind_hospital(hospital: Organization, today: dt.date) -> int:
    """A fixed number of reads per hospital (the members in arrears, the handlers, the
    notices already sent), then one insert per reminder."""
    people = list(
        arrears(hospital.path, today, rules.ARREARS_REMIND_MONTHS).select_related(
            "organization", "user"
        )
    )
    if not people:
        return 0
    handlers = []
    if any(p.arrears_months >= rules.ARREARS_HANDLE_MONTHS for p in people):
        handlers = list(
            RoleGrant.objects.filter(
                role__in=HANDLER_ROLES,
                organization__path__startswith=hospital.path,
                user__is_active=True,
            ).select_related("user", "organization")
        )
    plans: list[tuple[list, str, str, str]] = []  # (users, title, body, link)
    for person in people:
        user = person.user
        if user is not None and user.is_active:
            plans.append(([user], *_member_message(person), member_link(person)))
        if person.arrears_months >= rules.ARREARS_HANDLE_MONTHS:
            users = {
                g.user_id: g.user
                for g in handlers
                if person.organization.path.startswith(g.organization.path)
            }
            if users:
                plans.append(
                    (list(users.values()), *_handler_message(person), handler_link(person))
                )
    already = already_notified(
        REMINDER_KIND, [link for *_, link in plans], {u.pk for users, *_ in plans for u in users}
    )
    sent = 0
    for users, title, body, link in plans:
        fresh = [u for u in users if (u.pk, link) not in already]
        if fresh:
            sent += send_notice(fresh, title, body, link=link, kind=REMINDER_KIND)
    return sent


def _since(person) -> str:
    return f"{person.first_unpaid:%Y年%m月}"


def _member_message(person) -> tuple[str, str]:
    title = _("党费欠交提醒：您有 %(n)d 个月未交纳党费") % {"n": person.arrears_months}
    body = _(
        "%(name)s同志：您自 %(since)s 起共有 %(n)d 个月未交纳党费。按时交纳党费是党员的"
        "义务，请尽快向所在党支部补交；如有困难，可按规定申请少交或免交。"
    ) % {"name": person.name, "since": _since(person), "n": person.arrears_months}
    return title, body


def _handler_message(person) -> tuple[str, str]:
    title = _("党员 %(n)d 个月未交纳党费，须按规定处理：%(name)s") % {
        "n": person.arrears_months,
        "name": person.name,
    }
    body = _(
        "%(org)s %(name)s自 %(since)s 起共有 %(n)d 个月未交纳党费。依照党章第三十八条，"
        "须按规定处理：请党支部核实情况、谈心谈话，由支部大会讨论决定。"
        "系统不会自动变更其党籍。"
    ) % {
        "org": person.organization.name,
        "name": person.name,
        "since": _since(person),
        "n": person.arrears_months,
    }
    return title, body


# ---- the open month's bill (the member pays monthly, RULES.md §1) ----------------------
def month_link(bill: DuesBill) -> str:
    """The member's dues page; the fragment (bill and month) is the reminder's identity."""
    return f"{reverse('dues:mine')}#month-{bill.month:%Y-%m}-remind-{bill.pk}"


def send_month_reminders(today: dt.date | None = None) -> int:
    """From `rules.MONTH_REMIND_DAY` on, remind each member with an account of the open
    month's bill still unpaid, once a month, hospital by hospital; returns the number of
    notices sent."""
    today = today or timezone.localdate()
    if today.day < rules.MONTH_REMIND_DAY:
        return 0
    return sum(remind_month_hospital(hospital, today) for hospital in hospitals())


@transaction.atomic
def remind_month_hospital(hospital: Organization, today: dt.date) -> int:
    """Two reads (the open bills, the notices already sent), then one insert per member."""
    bills = list(
        DuesBill.objects.filter(
            month=first_of_month(today),
            paid_by__isnull=True,
            amount__gt=0,
            person__organization__path__startswith=hospital.path,
            person__user__is_active=True,
        )
        .select_related("person__user")
        .order_by("person_id")
    )
    if not bills:
        return 0
    links = [month_link(bill) for bill in bills]
    already = already_notified(MONTH_KIND, links, {bill.person.user_id for bill in bills})
    sent = 0
    for bill, link in zip(bills, links, strict=True):
        user = bill.person.user
        if (user.pk, link) in already:
            continue
        values = {
            "name": bill.person.name,
            "month": f"{bill.month:%Y年%m月}",
            "amount": bill.amount,
            "due": f"{bill.due_on:%m月%d日}",
        }
        title = _("党费交纳提醒：%(month)s应交 %(amount)s 元") % values
        body = (
            _(
                "%(name)s同志：您 %(month)s的党费 %(amount)s 元尚未交纳，请于 %(due)s 前"
                "向所在党支部交纳（按月交纳党费是党员的义务）。已交纳的请忽略本提醒。"
            )
            % values
        )
        sent += send_notice([user], title, body, link=link, kind=MONTH_KIND)
    return sent


# ---- the yearly re-fixing of bases (RULES.md §1: fixed at the start of each year) ------


def bases_year(today: dt.date) -> int:
    """The year whose bases are due: next year's from December, this year's before."""
    return today.year + 1 if today.month == 12 else today.year


def send_base_reminders(today: dt.date | None = None) -> int:
    """Tell each Party office, once a year, to fix the coming year's bases from the
    payroll office's workbook; returns the number of notices sent."""
    today = today or timezone.localdate()
    year = bases_year(today)
    link = f"{reverse('dues:bases_import')}#bases-{year}"
    offices = {
        grant.user_id: grant.user
        for grant in RoleGrant.objects.filter(
            role=Role.OFFICE, user__is_active=True
        ).select_related("user")
    }
    already = already_notified(BASES_KIND, [link], set(offices))
    fresh = [user for pk, user in offices.items() if (pk, link) not in already]
    title = _("请核定 %(year)d 年度党费基数") % {"year": year}
    body = _(
        "党费基数每年核定一次：请向人事（工资）部门取得 %(year)d 年度的党费基数表"
        "（身份证号、姓名及基数或各工资项目），在“党费 → 导入党费基数表”中检查并导入，"
        "自 %(year)d 年 1 月起生效。"
    ) % {"year": year}
    return send_notice(fresh, title, body, link=link, kind=BASES_KIND)
