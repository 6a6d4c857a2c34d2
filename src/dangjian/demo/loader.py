"""Loads the demo: builds the roster workbooks, imports them through the roster importer
(the same path a hospital's own workbook takes) and creates the demo accounts."""

import datetime as dt
import io
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .accounts import DEMO_ACCOUNTS, DEMO_PASSWORD
from .cobuilding import load_demo_cobuilding
from .figures import GUIDANCE, demo_periods
from .honours import load_demo_honours
from .hospitals_a import H01_ACCOUNT_BRANCH, build_h01, build_h02
from .hospitals_b import build_h03, build_h04, build_h05
from .names import PeopleMaker
from .reminders import celebrate_today, load_demo_inbox
from .workbook import OrgRow, PersonRow, Roster, build_workbook

DEMO_SEED = 20240701
BUILDERS = {
    "DEMO-H01": build_h01,
    "DEMO-H02": build_h02,
    "DEMO-H03": build_h03,
    "DEMO-H04": build_h04,
    "DEMO-H05": build_h05,
}


class DemoError(Exception):
    """The demo could not be loaded; the message is one Chinese line."""


@dataclass
class DemoResult:
    today: dt.date
    rosters: dict[str, Roster]
    seconds: float

    @property
    def periods(self) -> dict[str, tuple[dt.date, dt.date]]:
        return demo_periods(self.today)


def build_rosters(today: dt.date, seed: int = DEMO_SEED) -> dict[str, Roster]:
    """The guidance committee's workbook, then one per hospital. The same seed and day
    give the same rosters; each hospital draws from its own random stream."""
    code, name = GUIDANCE
    rosters = {
        code: Roster(
            title=name, orgs=[OrgRow(code, name, "", "指导委员会", founded_on=dt.date(2019, 1, 1))]
        )
    }
    maker = None
    for hospital, build in BUILDERS.items():
        rng = random.Random(f"{seed}:{hospital}")
        maker = PeopleMaker(rng, like=maker)
        rosters[hospital] = build(today, rng, maker)
    h01 = rosters["DEMO-H01"]
    celebrate_today(h01, today, avoid=tuple(account_people(h01).values()))
    return rosters


def demo_loaded() -> bool:
    from dangjian.orgs.models import Organization

    return Organization.objects.filter(code=GUIDANCE[0]).exists()


def load_demo(
    today: dt.date | None = None, *, progress: Callable[[str], None] | None = None
) -> DemoResult:
    """Import the demo rosters under a new `DEMO` root and create the demo accounts, all
    in one transaction: a failure leaves nothing behind."""
    from dangjian.orgs.models import Organization
    from dangjian.roster.services import import_roster

    started = time.monotonic()
    today = today or timezone.localdate()
    rosters = build_rosters(today)
    with transaction.atomic():
        if demo_loaded():
            raise DemoError(f"示例数据已存在（组织编码 {GUIDANCE[0]}）")
        parent = None
        for code, roster in rosters.items():
            if progress:
                progress(f"导入示例名册：{roster.title}（{len(roster.people)} 人）")
            report = import_roster(io.BytesIO(build_workbook(roster)), org=parent)
            if not report.ok:
                first = report.errors[0] if report.errors else "未知原因"
                raise DemoError(
                    f"示例名册“{roster.title}”导入失败：{first}（共 {len(report.errors)} 处错误）"
                )
            if parent is None:
                parent = Organization.objects.get(code=code)
        create_demo_accounts(rosters["DEMO-H01"])
        from .meetings import load_demo_meetings  # after the rosters: it reads them back

        load_demo_meetings(today, DEMO_SEED)
        from .register import load_demo_register
        from .task_ledger import load_demo_tasks

        load_demo_register(today, DEMO_SEED, demo_periods(today)["four_years"][0])
        load_demo_tasks(today, DEMO_SEED)
        from .notices import load_demo_notices
        from .service import load_demo_service

        load_demo_notices()
        load_demo_service(today, DEMO_SEED)
        load_demo_cobuilding(today)  # agreements, an alliance and brands on that service
        from dangjian.core.crypto import digest

        from .dues import load_demo_dues

        member = account_people(rosters["DEMO-H01"])["demo_member"]
        load_demo_dues(today, DEMO_SEED, digest(member.id_number))
        from .surveys_care import load_demo_surveys_and_care  # after the accounts

        load_demo_surveys_and_care(today, DEMO_SEED)
        from .learning import load_demo_learning

        load_demo_learning(today, DEMO_SEED)
        from .points import load_demo_points

        load_demo_points(today)
        load_demo_honours(today)
        from .assessment import load_demo_assessment  # judgements, then the scored periods

        load_demo_assessment(today)
        from .bulletin import load_demo_bulletin  # after every record it reports on

        load_demo_bulletin(today)
        load_demo_inbox(today)  # last: tomorrow's meeting and the day's reminders
    return DemoResult(today, rosters, time.monotonic() - started)


def account_people(roster: Roster) -> dict[str, PersonRow]:
    """The roster rows the secretary and member accounts log in as."""
    branch = [p for p in roster.people if p.org == H01_ACCOUNT_BRANCH]
    secretary = next(p for p in branch if p.post == "书记")
    member = next(
        p for p in branch if p.post == "无" and p.status == "正式党员" and p.employment == "在职"
    )
    return {"demo_secretary": secretary, "demo_member": member}


def create_demo_accounts(h01: Roster) -> None:
    """One account per role (`DEMO_ACCOUNTS`), usable at once: the demo skips the forced
    change of the initial password."""
    from dangjian.accounts.models import User
    from dangjian.accounts.services import grant_role
    from dangjian.core.crypto import digest
    from dangjian.orgs.models import Organization
    from dangjian.people.models import Person

    people = account_people(h01)
    for account in DEMO_ACCOUNTS:
        org = Organization.objects.get(code=account.org)
        exists = User.objects.filter(username=account.username).exists()
        user, _ = grant_role(
            account.username, account.role, org, password=None if exists else DEMO_PASSWORD
        )
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
        row = people.get(account.username)
        if row is not None:
            Person.objects.filter(id_digest=digest(row.id_number), user__isnull=True).update(
                user=user
            )
