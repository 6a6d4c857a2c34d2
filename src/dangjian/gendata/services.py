"""The one entry point of `dangjian gen-data`: write the city in one transaction."""

import datetime as dt
import time

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian.core.planner import refresh_statistics
from dangjian.orgs.models import Organization

from .activity import ActivityBuilder
from .city import City
from .ledger import LedgerBuilder
from .tree import TreeBuilder, mark_heads
from .writer import Writer

GUIDANCE_CODE = "GEN"


# A province (issue 15) and room above it; hospital codes run GEN-H001 … GEN-H2000.
MAX_HOSPITALS = 2000


class GenDataError(Exception):
    pass


def generate(
    hospitals: int, years: int = 5, seed: int = 1, today: dt.date | None = None, progress=None
) -> dict:
    """Write the city in one transaction; returns row counts by model and seconds taken."""
    if hospitals < 1 or hospitals > MAX_HOSPITALS:
        raise GenDataError(_("医院数须在 1–%(max)d 之间") % {"max": MAX_HOSPITALS})
    if years < 1 or years > 20:
        raise GenDataError(_("年数须在 1–20 之间"))
    if Organization.objects.filter(code=GUIDANCE_CODE).exists():
        raise GenDataError(
            _("组织编码 %(code)s 已存在：生成数据已载入，未做任何改动") % {"code": GUIDANCE_CODE}
        )
    started = time.perf_counter()
    say = progress or (lambda text: None)
    city = City(seed, hospitals, years, today or timezone.localdate())
    with transaction.atomic():
        writer = Writer()
        tree = TreeBuilder(city, writer)
        tree.build()
        tree.hospital_committees()
        say(f"组织与人员：{len(list(city.branches))} 个支部")
        activity = ActivityBuilder(city, writer)
        activity.build()
        say("组织生活与党费")
        LedgerBuilder(city, writer).build()
        say("目标任务与三重一大")
        counts = writer.finish()
        mark_heads(tree.heads)
        # Planner statistics now, not whenever autovacuum (PostgreSQL) or the nightly job
        # (SQLite) gets to millions of new rows.
        refresh_statistics()
    settle(writer.loaded_tables())
    counts["seconds"] = round(time.perf_counter() - started, 1)
    return counts


def settle(tables: list[str]) -> None:
    """On PostgreSQL, VACUUM the tables just loaded, as one does after a bulk load: their
    visibility maps are set (index-only scans) and autovacuum does not then spend minutes
    on fifty million new rows while the data is first used. Not inside a caller's
    transaction, where VACUUM cannot run (the tests'); nothing to do on SQLite."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(table)}")
