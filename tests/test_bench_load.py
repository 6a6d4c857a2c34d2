"""The load test's reading of locust's CSV files and its budget verdict (bench/loadstats.py;
the load test itself runs in `make bench`, never here)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from loadstats import (  # noqa: E402
    errors_of,
    read_failures,
    read_stats,
    verdict,
    write_share,
)

HEADER = (
    "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
    "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
    "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%\n"
)


def stats_csv(*rows: tuple[str, str, int, int, float, int, int]) -> str:
    """Rows of (method, name, requests, failures, req/s, p95, p99)."""
    lines = [
        f"{m},{n},{count},{failed},40,55.5,10,{p99 + 5},900,{rps},0,40,45,50,52,60,{p95},"
        f"{p99},{p99},{p99},{p99},{p99 + 5}"
        for m, n, count, failed, rps, p95, p99 in rows
    ]
    return HEADER + "\n".join(lines) + "\n"


def run(db="postgres", users=30, writes=True, pools=False, **endpoints):
    return {"db": db, "users": users, "writes": writes, "pools": pools, "failures": [],
            "endpoints": endpoints}  # fmt: skip


def endpoint(p95, rps=1.0, method="GET", requests=10, failures=0):
    return {"method": method, "p95_ms": p95, "rps": rps, "requests": requests,
            "failures": failures}  # fmt: skip


def test_read_stats_per_endpoint_and_aggregated():
    text = stats_csv(
        ("GET", "member: own page", 80, 0, 3.3, 320, 980),
        ("POST", "POST dues: record a payment", 10, 0, 0.42, 1100, 1100),
        ("", "Aggregated", 90, 0, 3.72, 960, 1500),
    )
    stats = read_stats(text)
    assert stats["member: own page"] == {
        "method": "GET", "requests": 80, "failures": 0, "rps": 3.3, "avg_ms": 55.5,
        "p50_ms": 40.0, "p95_ms": 320.0, "p99_ms": 980.0, "max_ms": 985.0,
    }  # fmt: skip
    assert stats["Aggregated"]["requests"] == 90
    assert write_share(stats) == 10 / 90


def test_a_percentile_locust_could_not_compute_is_none():
    text = HEADER + "GET,x,0,0,0,0,0,0,0,0,0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A\n"
    assert read_stats(text)["x"]["p95_ms"] is None


def test_failures_are_errors():
    failures = read_failures(
        "Method,Name,Error,Occurrences,First Seen,Last Seen\nGET,member: my dues,404 ,3,1,2\n"
    )
    assert failures == [{"method": "GET", "name": "member: my dues", "error": "404 ", "count": 3}]
    one = run(Aggregated=endpoint(100, failures=3))
    one["failures"] = failures
    assert errors_of(one) == ["GET member: my dues: 404  ×3"]


def test_failed_requests_without_a_failure_row_and_an_empty_run_are_errors():
    assert errors_of(run(Aggregated=endpoint(100, failures=2))) == ["2 failed requests"]
    assert errors_of(run(Aggregated=endpoint(None, requests=0))) == ["no request was made"]
    assert errors_of(run(Aggregated=endpoint(100))) == []


def test_verdict_met_and_missed():
    runs = [
        run(writes=False, a=endpoint(120), Aggregated=endpoint(200, rps=20.0)),
        run(writes=True, a=endpoint(300), b=endpoint(250), Aggregated=endpoint(280, rps=16.0)),
        run(users=60, writes=True, a=endpoint(5000), Aggregated=endpoint(4000, rps=1.0)),
    ]
    v = verdict(runs, "postgres", pools=False)
    assert v["p95_met"] and v["throughput_met"]  # 300 ms and 80 % are within the budget
    assert (v["worst_endpoint"], v["worst_p95_ms"], v["throughput_ratio"]) == ("a", 300, 0.8)
    runs[1]["endpoints"]["b"]["p95_ms"] = 310
    runs[1]["endpoints"]["Aggregated"]["rps"] = 15.9
    v = verdict(runs, "postgres", pools=False)
    assert not v["p95_met"] and v["slow"] == {"b": 310}
    assert not v["throughput_met"]


def test_no_verdict_without_both_runs_of_the_layout():
    runs = [run(writes=True, Aggregated=endpoint(100))]
    assert verdict(runs, "postgres", pools=False) is None
    assert verdict(runs + [run(writes=False, Aggregated=endpoint(100))], "sqlite", False) is None
