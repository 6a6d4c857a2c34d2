"""The load test (issue 15): `make bench` runs it after bench/city.py, on the N = 87
databases that city.py generated (SQLite, and PostgreSQL in the cluster still running).

For each database: bench/load_setup.py makes the city's users (sessions, tokens, whom to
record payments for); gunicorn serves the app with production settings (2 workers, as in
city.py); a warm-up run of locust (discarded); then locust, headless, with a city's mix of
users (bench/locustfile.py) at each level of --users, first without writes, then the same
mix with writes (about 5 % of requests), each for --run-time seconds. Then, with --pools,
on --pool-dbs, the same at --pool-users with the heavy statistics reads (every dashboard
and the stats API) served by a second gunicorn pool of --stats-workers workers, as the
nginx rules in bench/LOAD_NOTES.md route them. With the defaults the whole load part takes
about 14 minutes. Per endpoint: requests, throughput, p50 / p95 / p99, failures.
Any failed request stops the run with an error (after writing what was measured).
Results go to the `load` section of bench/results.json; bench/report.py renders them.

    python bench/load.py [--dbs sqlite postgres] [--hospitals 87] [--users 10 30 60]
                         [--run-time 55] [--warmup 10] [--think 1 3] [--pools]
                         [--pool-dbs postgres] [--pool-users 30] [--workers 2]
                         [--stats-workers 1]
                         [--pg-url postgres://dangjian@127.0.0.1:55433] [--label after]
                         [-o bench/results.json]
"""

import argparse
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from city import BIN, ROOT, VAR, env_for, fresh_database_url, gunicorn, log, machine
from loadstats import errors_of, read_failures, read_stats, write_share

LOCUSTFILE = ROOT / "bench" / "locustfile.py"


def database_exists(db: str, url: str) -> bool:
    if db == "sqlite":
        return Path(url.removeprefix("sqlite:///")).exists()
    probe = subprocess.run(["psql", url, "-qc", "SELECT 1"], capture_output=True)
    return probe.returncode == 0


def make_plan(db: str, env: dict, users: int) -> Path:
    log(f"{db}: the city's users (load_setup.py)")
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load_setup.py"), "--users", str(users)],
        env=env, cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"load_setup.py failed:\n{done.stderr[-3000:]}")
    plan = VAR / f"load-plan-{db}.json"
    plan.write_text(done.stdout)
    return plan


def locust(host: str, plan: Path, users: int, seconds: int, writes: bool, args,
           stats_host: str = "") -> dict:  # fmt: skip
    """One headless locust run; its stats and failures."""
    prefix = VAR / "locust" / f"u{users}-{'w' if writes else 'r'}"
    prefix.parent.mkdir(parents=True, exist_ok=True)
    env = dict(
        os.environ,
        BENCH_PLAN=str(plan),
        BENCH_WRITES="1" if writes else "0",
        BENCH_THINK=" ".join(str(t) for t in args.think),
        BENCH_STATS_HOST=stats_host,
    )
    cmd = [
        str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless", "--only-summary",
        "-u", str(users), "-r", str(users), "--run-time", f"{seconds}s", "--stop-timeout", "5",
        "--host", host, "--csv", str(prefix), "--loglevel", "WARNING",
    ]  # fmt: skip
    load_before = os.getloadavg()[0]
    done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
    stats = Path(f"{prefix}_stats.csv")
    if done.returncode not in (0, 1) or not stats.exists():  # 1: some request failed
        raise SystemExit(f"locust failed ({done.returncode}):\n{done.stderr[-3000:]}")
    endpoints = read_stats(stats.read_text())
    return {
        "users": users,
        "writes": writes,
        "seconds": seconds,
        "load_before": round(load_before, 2),
        "endpoints": endpoints,
        "failures": read_failures(Path(f"{prefix}_failures.csv").read_text()),
        "write_share": round(write_share(endpoints), 4),
    }


@contextlib.contextmanager
def servers(env: dict, pools: bool, args):
    """The app's address and, with pools, the statistics pool's."""
    with gunicorn(env, workers=args.workers) as port:
        if not pools:
            yield f"http://127.0.0.1:{port}", ""
            return
        with gunicorn(env, workers=args.stats_workers) as stats_port:
            yield f"http://127.0.0.1:{port}", f"http://127.0.0.1:{stats_port}"


def run_db(db: str, args, save) -> None:
    url = fresh_database_url(db, f"bench_{args.label}_{db}_{args.hospitals}", args.pg_url)
    if not database_exists(db, url):
        raise SystemExit(f"{url}: no database; run bench/city.py --sizes {args.hospitals} first")
    env = env_for(url, None)
    plan = make_plan(db, env, max(args.users + args.pool_users))
    pools = args.pools and db in args.pool_dbs
    layouts = [(False, args.users)] + ([(True, args.pool_users)] if pools else [])
    for pools, levels in layouts:
        with servers(env, pools, args) as (host, stats_host):
            layout = "statistics pool" if pools else "one pool"
            log(f"{db}, {layout}: warm-up, {args.warmup} s")  # every user's pages once or twice
            locust(host, plan, max(levels), args.warmup, False, args, stats_host)
            for writes in (False, True):  # the caches stay warm through the reads-only runs
                for users in levels:
                    log(f"{db}, {layout}: {users} users, {'with' if writes else 'no'} writes")
                    run = locust(host, plan, users, args.run_time, writes, args, stats_host)
                    run.update(db=db, pools=pools)
                    save(run)
                    total = run["endpoints"]["Aggregated"]
                    log(f"  {total['rps']} req/s, p95 {total['p95_ms']} ms, "
                        f"writes {run['write_share']:.1%}, failures {total['failures']}")  # fmt: skip
                    if problems := errors_of(run):
                        raise SystemExit(
                            f"load test failed ({db}, {users} users):\n  " + "\n  ".join(problems)
                        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dbs", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--hospitals", type=int, default=87)
    parser.add_argument("--users", nargs="+", type=int, default=[10, 30, 60])
    parser.add_argument("--run-time", type=int, default=55,
                        help="seconds per level (below 900: an idle session expires in 30 min)")  # fmt: skip
    parser.add_argument("--warmup", type=int, default=10, help="seconds, not counted")
    parser.add_argument("--think", nargs=2, type=float, default=[1.0, 3.0],
                        help="seconds a user waits between pages (min max)")  # fmt: skip
    parser.add_argument("--pools", action="store_true",
                        help="also run with a separate pool for the statistics reads")  # fmt: skip
    parser.add_argument("--pool-users", nargs="+", type=int, default=[30])
    parser.add_argument("--pool-dbs", nargs="+", default=["postgres"],
                        help="the databases measured with --pools too")  # fmt: skip
    parser.add_argument("--workers", type=int, default=2, help="of the app's (main) pool")
    parser.add_argument("--stats-workers", type=int, default=1)
    parser.add_argument("--pg-url", default="postgres://dangjian@127.0.0.1:55433")
    parser.add_argument("--label", default="after", help="the city.py run whose data is used")
    parser.add_argument("-o", "--output", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()
    output = Path(args.output)
    results = json.loads(output.read_text()) if output.exists() else {}
    git = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip()  # fmt: skip
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain"],
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    load = {
        "machine": machine(),
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "commit": f"{git} with uncommitted changes" if git and dirty else git,
        "settings": {
            "hospitals": args.hospitals,
            "run_time_s": args.run_time,
            "warmup_s": args.warmup,
            "think_s": args.think,
            "workers": args.workers,
            "stats_workers": args.stats_workers,
        },
        "runs": [],
    }

    def save(run=None):
        if run:
            load["runs"].append(run)
        results["load"] = load
        output.write_text(json.dumps(results, ensure_ascii=False, indent=1))

    try:
        for db in args.dbs:
            run_db(db, args, save)
    finally:
        load["finished"] = dt.datetime.now().isoformat(timespec="seconds")
        save()
        log(f"wrote {output}")


if __name__ == "__main__":
    main()
