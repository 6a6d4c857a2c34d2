"""Reading locust's CSV output and judging the load budget (issue 15), with no I/O of its
own: bench/load.py feeds it the files, bench/report.py the results, a test the helpers.

Budget, at BUDGET_USERS concurrent users with writes: every endpoint's p95 within
P95_BUDGET_MS, and the throughput with writes at least THROUGHPUT_RATIO of the throughput
of the same mix without writes.
"""

import csv
import io

BUDGET_USERS = 30
P95_BUDGET_MS = 300.0
THROUGHPUT_RATIO = 0.8
AGGREGATED = "Aggregated"


def read_stats(text: str) -> dict[str, dict]:
    """Locust's `<prefix>_stats.csv`: per endpoint (and "Aggregated") the requests,
    failures, throughput and percentiles (locust rounds times above 100 ms to two
    significant figures)."""
    endpoints = {}
    for row in csv.DictReader(io.StringIO(text)):
        endpoints[row["Name"]] = {
            "method": row["Type"],
            "requests": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 2),
            "avg_ms": round(float(row["Average Response Time"]), 1),
            "p50_ms": _number(row["50%"]),
            "p95_ms": _number(row["95%"]),
            "p99_ms": _number(row["99%"]),
            "max_ms": round(float(row["Max Response Time"]), 1),
        }
    return endpoints


def _number(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def read_failures(text: str) -> list[dict]:
    """Locust's `<prefix>_failures.csv`: one row per distinct error."""
    return [
        {
            "method": row["Method"],
            "name": row["Name"],
            "error": row["Error"],
            "count": int(row["Occurrences"]),
        }
        for row in csv.DictReader(io.StringIO(text))
    ]


def write_share(endpoints: dict[str, dict]) -> float:
    """The share of requests that write (the form posts)."""
    total = endpoints[AGGREGATED]["requests"]
    writes = sum(
        e["requests"]
        for name, e in endpoints.items()
        if name != AGGREGATED and e["method"] == "POST"
    )
    return writes / total if total else 0.0


def errors_of(run: dict) -> list[str]:
    """What went wrong in one run: failed requests and locust's own errors."""
    problems = [f"{f['method']} {f['name']}: {f['error']} ×{f['count']}" for f in run["failures"]]
    failed = run["endpoints"].get(AGGREGATED, {}).get("failures", 0)
    if failed and not problems:
        problems.append(f"{failed} failed requests")
    if not run["endpoints"].get(AGGREGATED, {}).get("requests"):
        problems.append("no request was made")
    return problems


def verdict(runs: list[dict], db: str, pools: bool) -> dict | None:
    """The budget for one database and server layout, from its runs at BUDGET_USERS with
    and without writes; None when either run is missing."""

    def run(writes: bool):
        return next(
            (
                r
                for r in runs
                if r["db"] == db
                and r["pools"] == pools
                and r["users"] == BUDGET_USERS
                and r["writes"] == writes
            ),
            None,
        )

    with_writes, without = run(True), run(False)
    if not (with_writes and without):
        return None
    slow = {
        name: e["p95_ms"]
        for name, e in with_writes["endpoints"].items()
        if name != AGGREGATED and e["p95_ms"] is not None and e["p95_ms"] > P95_BUDGET_MS
    }
    worst = max(
        (
            (e["p95_ms"], name)
            for name, e in with_writes["endpoints"].items()
            if name != AGGREGATED and e["p95_ms"] is not None
        ),
        default=(None, None),
    )
    rps_with = with_writes["endpoints"][AGGREGATED]["rps"]
    rps_without = without["endpoints"][AGGREGATED]["rps"]
    ratio = rps_with / rps_without if rps_without else 0.0
    return {
        "endpoints": len(with_writes["endpoints"]) - 1,
        "p95_met": not slow,
        "slow": slow,
        "worst_p95_ms": worst[0],
        "worst_endpoint": worst[1],
        "rps_with_writes": rps_with,
        "rps_without_writes": rps_without,
        "throughput_ratio": round(ratio, 3),
        "throughput_met": ratio >= THROUGHPUT_RATIO,
    }
