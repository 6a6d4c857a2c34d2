"""Query count and time of the dashboard and member-list pages as the roster grows.

    python bench/page_queries.py --members 1000 25000

For each size: a fresh SQLite database in a temporary directory, the bench roster
(bench/make_roster.py) imported with `dangjian import-roster`, an office user on the
hospital, then each page fetched through Django's test client with the queries captured.
The query count must not grow with the roster; the time is for information only.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def measure(members: int, workdir: Path) -> list[tuple[str, int, float]]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from dangjian.accounts.models import User

    sys.path.insert(0, str(Path(__file__).parent))
    from make_roster import build

    workbook = workdir / f"roster-{members}.xlsx"
    build(members, str(workbook))
    call_command("migrate", verbosity=0)
    call_command("import-roster", str(workbook), stdout=open(os.devnull, "w"))
    call_command("grant", "bench-office", role="office", org="BENCH", password="Bench-2024-dj")
    User.objects.filter(username="bench-office").update(must_change_password=False)

    client = Client()
    client.force_login(User.objects.get(username="bench-office"))
    rows = []
    for label, url in [
        ("dashboard", "/dashboard/?org=BENCH"),
        ("member list", "/people/"),
        ("member list, page 40, filtered", "/people/?status=full&page=40"),
        ("development board", "/development/?org=BENCH"),
        ("development due list", "/development/due/?org=BENCH"),
    ]:
        client.get(url)  # warm caches (templates, scope)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        rows.append((label, len(queries), elapsed))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, nargs="+", default=[1000, 25000])
    args = parser.parse_args()
    if len(args.members) > 1:
        # One database per process: re-run this script for each size.
        for size in args.members:
            os.spawnv(os.P_WAIT, sys.executable, [sys.executable, __file__, "--members", str(size)])
        return
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
        os.environ.setdefault("DEBUG", "1")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
        import django

        django.setup()
        from django.test.utils import setup_test_environment

        setup_test_environment()
        for label, count, seconds in measure(args.members[0], Path(tmp)):
            print(f"{args.members[0]:>6} members  {label:<32} {count:>3} queries  {seconds * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
