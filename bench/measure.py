"""In-process half of the city benchmark (run by bench/city.py against a database that
`dangjian gen-data` has filled; DATABASE_URL and the settings come from the environment).

1. Grants three bench users (guidance on GEN, office on the hospital nearest 300 members,
   secretary on that hospital's largest branch), logs them in and gets an API token.
2. For each measured page: fetches it through Django's test client with the queries
   captured (the query count), then the database floor: the captured SELECTs run again
   directly on a raw cursor, best of several rounds.
3. Prints one JSON object: the pages (url, session cookie or token, query count, floor)
   for the HTTP half, and the chosen hospital and branch.

    python bench/measure.py [--rounds 7]
"""

import argparse
import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
os.environ["ALLOWED_HOSTS"] = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost") + ",testserver"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dangjian.accounts.models import Role, User  # noqa: E402
from dangjian.accounts.services import grant_role  # noqa: E402
from dangjian.orgs.models import Organization, OrgKind  # noqa: E402
from dangjian.people.models import Person  # noqa: E402

PASSWORD = "Bench-2026-city!"
PER_PAGE = 25
EXPORT_FORM = {"reason": "基准测试：名册导出"}


def pick_targets() -> dict:
    """The hospital whose member count is nearest 300, its largest branch, a member."""
    counts = {}
    for org in Organization.objects.filter(kind=OrgKind.COMMITTEE, code__startswith="GEN-H"):
        counts[org.code] = (org, Person.objects.filter(organization__path__startswith=org.path))
    sized = {code: qs.count() for code, (_, qs) in counts.items()}
    code = min(sized, key=lambda c: (abs(sized[c] - 300), c))
    hospital = counts[code][0]
    branch = (
        Organization.objects.filter(kind=OrgKind.BRANCH, path__startswith=hospital.path)
        .annotate(n=Count("people"))
        .order_by("-n", "code")
        .first()
    )
    member = Person.objects.filter(organization=branch).order_by("pk").first()
    return {"hospital": hospital, "hospital_people": sized[code], "branch": branch,
            "member": member}  # fmt: skip


def user(username: str, role: str, org) -> User:
    exists = User.objects.filter(username=username).exists()
    account, _ = grant_role(username, role, org, password=None if exists else PASSWORD)
    User.objects.filter(pk=account.pk).update(must_change_password=False)
    return User.objects.get(pk=account.pk)


def floor_of(sqls: list[str], rounds: int) -> float:
    """Best-of-rounds time (ms) of the page's read queries run directly."""
    reads = [s for s in sqls if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for sql in reads:
                cursor.execute(sql)
                cursor.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times), len(reads)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    t = pick_targets()
    city = Organization.objects.get(code="GEN")
    guidance = user("bench-guidance", Role.GUIDANCE, city)
    office = user("bench-office", Role.OFFICE, t["hospital"])
    secretary = user("bench-secretary", Role.SECRETARY, t["branch"])
    clients = {}
    for account in (guidance, office, secretary):
        client = Client()
        client.force_login(account)
        clients[account.username] = client
    token = (
        Client()
        .post(
            "/api/v1/auth/token",
            {"username": guidance.username, "password": PASSWORD},
            content_type="application/json",
        )
        .json()["token"]
    )
    full = Person.objects.filter(
        organization__path__startswith=city.path,
        statuses__ended_on__isnull=True,
        statuses__status="full",
    ).count()
    last = max(1, -(-full // PER_PAGE))
    h, b = t["hospital"].code, t["branch"].code
    pages = [
        ("dashboard_city", "bench-guidance", f"/dashboard/?org={city.code}"),
        ("dashboard_hospital", "bench-office", f"/dashboard/?org={h}"),
        ("dashboard_branch", "bench-secretary", f"/dashboard/?org={b}"),
        ("members_first", "bench-guidance", "/people/?status=full"),
        ("members_last", "bench-guidance", f"/people/?status=full&page={last}"),
        ("member_detail", "bench-office", f"/people/{t['member'].pk}/"),
        ("stats_api", "token", f"/api/v1/stats?org={city.code}"),
        ("roster_export", "bench-office", f"/roster/export/{h}/"),
    ]
    out = []
    for name, who, url in pages:
        if who == "token":
            client, headers = Client(), {"Authorization": f"Bearer {token}"}
        else:
            client, headers = clients[who], {}
        post = EXPORT_FORM if name == "roster_export" else None

        def fetch(client=client, url=url, post=post, headers=headers):
            if post:
                return client.post(url, post, headers=headers)
            return client.get(url, headers=headers)

        fetch()  # templates, scope, connection
        runs = {}
        for state in ("cold", "warm"):
            times = []
            for _ in range(3):
                if state == "cold":
                    cache.clear()  # the figures computed again (core.datacache)
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    response = fetch()
                    if response.streaming:
                        b"".join(response.streaming_content)
                    times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
            sqls = [q["sql"] for q in ctx.captured_queries]
            best, median, reads = floor_of(sqls, args.rounds)
            page = statistics.median(times)
            runs[state] = {
                "queries": len(sqls),
                "read_queries": reads,
                "floor_ms": round(best, 2),
                "floor_median_ms": round(median, 2),
                "inprocess_ms": round(page, 2),
                "ratio": round(page / best, 2) if best > 0 else None,
            }
        out.append(
            {
                "page": name,
                "url": url,
                "auth": "token" if who == "token" else who,
                "method": "POST" if post else "GET",
                "form": post or {},
                "cookie": ""
                if who == "token"
                else client.cookies[settings.SESSION_COOKIE_NAME].value,
                "token": token if who == "token" else "",
                "cold": runs["cold"],
                "warm": runs["warm"],
                "bytes": len(response.content) if not response.streaming else None,
            }
        )
    json.dump(
        {
            "hospital": h,
            "hospital_people": t["hospital_people"],
            "branch": b,
            "branch_people": Person.objects.filter(organization=t["branch"]).count(),
            "members_full": full,
            "people": Person.objects.count(),
            "branches": Organization.objects.filter(
                kind=OrgKind.BRANCH, code__startswith="GEN"
            ).count(),
            "members": Person.objects.filter(
                Q(statuses__ended_on__isnull=True)
                & Q(statuses__status__in=["full", "probationary"]),
                organization__path__startswith=city.path,
            ).count(),
            "pages": out,
        },
        sys.stdout,
        ensure_ascii=False,
    )


if __name__ == "__main__":
    main()
