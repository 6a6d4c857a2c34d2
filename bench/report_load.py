"""The load test's section of docs/benchmarks.md (bench/report.py calls `render`), from the
`load` section of bench/results.json (bench/load.py) and bench/LOAD_NOTES.md."""

from pathlib import Path

from loadstats import (
    AGGREGATED,
    BUDGET_USERS,
    P95_BUDGET_MS,
    THROUGHPUT_RATIO,
    verdict,
)

ROOT = Path(__file__).resolve().parent.parent
DB_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def ok(flag: bool) -> str:
    return "met" if flag else "**missed**"


def ms(value) -> str:
    return "–" if value is None else f"{value:,.0f}"


def over(p95) -> str:
    """A p95 in ms, in bold when it misses the budget."""
    return f"**{ms(p95)}**" if p95 is not None and p95 > P95_BUDGET_MS else ms(p95)


def layouts(load: dict) -> list[tuple[str, bool]]:
    seen = []
    for run in load["runs"]:
        key = (run["db"], run["pools"])
        if key not in seen:
            seen.append(key)
    return seen


def layout_name(pools: bool, settings: dict) -> str:
    if not pools:
        return f"one pool ({settings['workers']} workers)"
    return f"statistics pool ({settings['workers']} + {settings['stats_workers']} workers)"


def budget_rows(load: dict) -> list[str]:
    rows = []
    for db, pools in layouts(load):
        v = verdict(load["runs"], db, pools)
        if v is None:
            continue
        where = f"{DB_NAMES[db]}, {layout_name(pools, load['settings'])}"
        over = f"; {len(v['slow'])} of {v['endpoints']} over" if v["slow"] else ""
        rows.append(
            f"| Every endpoint p95 ≤ {P95_BUDGET_MS:.0f} ms | {where} | worst: "
            f"{v['worst_endpoint']} {ms(v['worst_p95_ms'])} ms{over} | {ok(v['p95_met'])} |"
        )
        rows.append(
            f"| Throughput with writes ≥ {THROUGHPUT_RATIO:.0%} of without | {where} | "
            f"{v['rps_with_writes']:.1f} ÷ {v['rps_without_writes']:.1f} req/s = "
            f"{v['throughput_ratio']:.0%} | {ok(v['throughput_met'])} |"
        )
    return rows


def summary_rows(load: dict) -> list[str]:
    rows = [
        "| Database | Layout | Users | Writes | Requests | req/s | p50 | p95 | p99 | max | Write share | Errors |",
        "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in load["runs"]:
        t = run["endpoints"][AGGREGATED]
        rows.append(
            f"| {DB_NAMES[run['db']]} | {layout_name(run['pools'], load['settings'])} | "
            f"{run['users']} | {'with' if run['writes'] else 'without'} | {t['requests']:,} | "
            f"{t['rps']:.1f} | {ms(t['p50_ms'])} | {ms(t['p95_ms'])} | {ms(t['p99_ms'])} | "
            f"{ms(t['max_ms'])} | {run['write_share']:.1%} | {t['failures']} |"
        )
    return rows


def endpoint_table(load: dict, db: str, pools: bool) -> list[str]:
    """Per endpoint: p95 at every level, and the budget level with writes in full."""
    runs = [r for r in load["runs"] if r["db"] == db and r["pools"] == pools]
    budget = next((r for r in runs if r["users"] == BUDGET_USERS and r["writes"]), None)
    if not budget:
        return []
    levels = [(r["users"], r["writes"]) for r in runs]
    head = " | ".join(f"p95 {u} {'w' if w else 'r'}" for u, w in levels)
    rows = [
        f"| Endpoint | {BUDGET_USERS} users with writes: requests | req/s | p50 | p95 | p99 | errors | {head} |",
        "|---|---:|---:|---:|---:|---:|---:|" + "---:|" * len(levels),
    ]
    names = sorted({n for r in runs for n in r["endpoints"] if n != AGGREGATED})
    for name in names:
        e = budget["endpoints"].get(name)
        full = (
            f"{e['requests']} | {e['rps']:.2f} | {ms(e['p50_ms'])} | {over(e['p95_ms'])} | "
            f"{ms(e['p99_ms'])} | {e['failures']}"
            if e
            else "– | – | – | – | – | –"
        )
        p95s = " | ".join(ms(r["endpoints"].get(name, {}).get("p95_ms")) for r in runs)
        rows.append(f"| {name} | {full} | {p95s} |")
    return rows


def render(results: dict) -> list[str]:
    load = results.get("load")
    if not load or not load.get("runs"):
        return []
    s, m = load["settings"], load["machine"]
    out = [
        "## Under load: a city's users at once (issue 15)",
        "",
        f"`bench/load.py` (part of `make bench`): locust, headless, on loopback against "
        f"gunicorn with the production settings, on the N = {s['hospitals']} cities above; "
        f"{s['run_time_s']} s per level after a {s['warmup_s']} s warm-up, users thinking "
        f"{s['think_s'][0]:g}–{s['think_s'][1]:g} s between pages. The mix and the layouts "
        "are described below the tables. Times in ms (locust rounds those over 100 ms to "
        "two significant figures); *w* = with writes, *r* = the same mix without them.",
        f"Run {load['started']} to {load.get('finished', '(unfinished)')}, code "
        f"{load.get('commit') or 'working tree'}; load average {m['load_before']:.2f} at the "
        "start (the load before each run is in `bench/results.json`).",
        "",
        f"### Budget at {BUDGET_USERS} users with writes",
        "",
        "| Budget | Database, layout | Measured | |",
        "|---|---|---|---|",
        *budget_rows(load),
        "",
        "### Every run",
        "",
        *summary_rows(load),
        "",
    ]
    for db, pools in layouts(load):
        table = endpoint_table(load, db, pools)
        if table:
            out += [
                f"### Per endpoint: {DB_NAMES[db]}, {layout_name(pools, s)}",
                "",
                *table,
                "",
            ]
    notes = ROOT / "bench" / "LOAD_NOTES.md"
    if notes.exists():
        out += [notes.read_text().strip(), ""]
    return out
