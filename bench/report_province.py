"""The province section of docs/benchmarks.md (issue 15): `bench/city.py --province N`
generates N hospitals on PostgreSQL and measures the same pages as for the city."""

from report import DB_NAMES, PAGES, fmt, ok, page_of, page_table, run_of

GEN_BUDGET_S = 15 * 60
FIGURES_BUDGET = 200.0  # the province's dashboard and stats API, p95 (ms)
LIST_BUDGET = 150.0  # member list and member page, p95 (ms)
BUDGETS = {
    "dashboard_city": FIGURES_BUDGET,
    "stats_api": FIGURES_BUDGET,
    "members_first": LIST_BUDGET,
    "members_last": LIST_BUDGET,
    "member_detail": LIST_BUDGET,
}


def budget_rows(after: dict) -> tuple[list[str], list[str]]:
    """Budget table rows and the names of the budgets missed."""
    one = after.get("province")
    if not one:
        return [], []
    n, lines, missed = one["hospitals"], [], []
    seconds = one["gen_data"]["seconds"]
    met = seconds <= GEN_BUDGET_S
    lines.append(
        f"| `gen-data` at N = {n:,} ≤ 15 min | PostgreSQL | {fmt(seconds / 60)} min, peak "
        f"{one['gen_data']['peak_kib'] // 1024} MiB | {ok(met)} |"
    )
    if not met:
        missed.append(f"gen-data at N = {n:,}")
    for name, budget in BUDGETS.items():
        page = page_of(one, name)
        for label, figures in (
            ("", page["http"]),
            (", after a write", page["http"].get("after_write")),
        ):
            if not figures:
                continue
            met = figures["p95_ms"] <= budget
            lines.append(
                f"| p95 ≤ {budget:.0f} ms{label} at N = {n:,}: {PAGES[name]} | PostgreSQL | "
                f"{fmt(figures['p95_ms'])} ms | {ok(met)} |"
            )
            if not met:
                missed.append(f"{PAGES[name]}{label} at N = {n:,}")
    city = _city(after)
    if city:
        same = all(
            (page["cold"]["queries"], page["warm"]["queries"])
            == (page_of(city, page["page"])["cold"]["queries"],
                page_of(city, page["page"])["warm"]["queries"])
            for page in one["pages"]
        )  # fmt: skip
        lines.append(f"| Query counts equal at N = 87 and N = {n:,} | PostgreSQL | "
                     f"{'equal' if same else 'differ'} | {ok(same)} |")  # fmt: skip
        if not same:
            missed.append(f"query counts at N = {n:,}")
    return lines, missed


def with_latest_province(results: dict) -> dict:
    """The results with the province of a later province-only run (`bench/city.py --dbs
    postgres --sizes --province N --label province`), when there is one, in place of the
    `after` run's: the province is measured again alone after a change that concerns it."""
    alone = results.get("province", {})
    if not alone.get("province") or alone.get("started", "") <= results["after"].get("started", ""):
        return results  # none, or older than the full run
    after = {**results["after"], "province": alone["province"]}
    after["province_run"] = {"commit": alone.get("commit"), "started": alone.get("started")}
    # The N = 87 city measured with the same code, to compare query counts with.
    city = results.get("province_city", {})
    if (
        city.get("runs")
        and city.get("commit") == alone.get("commit")
        and run_of(city, "postgres", 87)
    ):
        after["province_run"]["city"] = run_of(city, "postgres", 87)
    return {**results, "after": after}


def _city(after: dict):
    """The N = 87 PostgreSQL city run of the province's code."""
    return after.get("province_run", {}).get("city") or run_of(after, "postgres", 87)


def render(results: dict) -> list[str]:
    after = results.get("after", {})
    one = after.get("province")
    if not one:
        return []
    n = one["hospitals"]
    alone = after.get("province_run")
    out = [
        f"## A province: N = {n:,} hospitals, PostgreSQL",
        "",
        *(
            [
                f"Measured alone, {alone['started']} (code {alone['commit']}), with the machine "
                "otherwise idle; the cities above come from the run named at the top.",
                "",
            ]
            if alone
            else []
        ),  # fmt: skip
        f"`dangjian gen-data --hospitals {n}`: {one['people']:,} people, {one['members']:,} "
        f"members, {one['branches']:,} branches, "
        f"{sum(v for k, v in one['gen_data']['rows'].items() if k != 'seconds'):,} rows in "
        f"{fmt(one['gen_data']['seconds'] / 60)} min (peak {one['gen_data']['peak_kib'] // 1024} "
        "MiB). The in-process floors are best of 2 here (7 for the city).",
        "",
        *page_table(one),
        "",
    ]
    city = _city(after)
    if city:
        out += [
            f"### Growth: N = 87 against N = {n:,} ({DB_NAMES['postgres']})",
            "",
            f"| Page | Queries 87 → {n:,} (cold; warm) | HTTP p95 (ms) | After a write, p95 (ms) | Cold page (ms) |",
            "|---|---|---|---|---|",
        ]
        for page in one["pages"]:
            c = page_of(city, page["page"])
            a1, a2 = c["http"].get("after_write"), page["http"].get("after_write")
            out.append(
                f"| {PAGES[page['page']]} | {c['cold']['queries']} → {page['cold']['queries']}; "
                f"{c['warm']['queries']} → {page['warm']['queries']} | "
                f"{fmt(c['http']['p95_ms'])} → {fmt(page['http']['p95_ms'])} | "
                f"{fmt(a1['p95_ms']) if a1 else '–'} → {fmt(a2['p95_ms']) if a2 else '–'} | "
                f"{fmt(c['cold']['inprocess_ms'])} → {fmt(page['cold']['inprocess_ms'])} |"
            )
        out.append("")
    return out
