"""The city benchmark (issue 7): `make bench` runs it.

For each database (SQLite, PostgreSQL) and each size (N = 8 and N = 87 hospitals):
a fresh database, `dangjian gen-data --hospitals N` (time and peak memory), the
in-process half (bench/measure.py: query counts, database floors, cold and warm page
times), then the app under gunicorn with 2 workers and each page fetched over HTTP
(warm-up, then --requests timed requests, one at a time): p50 / p95 / max; then
--after-write requests, each after a bump of the measured hospital's data version, as
the first view after a write in that hospital sees it (its figures computed again).
Then the roster workbook of the whole city is exported and imported into an empty
database (time and peak memory), and the 300-member hospital's roster exported with
the command. Results go to bench/results.json; bench/report.py writes docs/benchmarks.md.

    python bench/city.py [--dbs sqlite postgres] [--sizes 8 87] [--requests 40] [--province 1000]
                         [--pg-url postgres://dangjian@127.0.0.1:55433] [--src DIR]
                         [--label after] [-o bench/results.json]

`--src` runs another checkout's code (e.g. a worktree of an earlier commit) against the
same data, for before/after figures; `--label` names the run inside the results file.
"""

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import platform
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR = ROOT / "var" / "bench"
WORKERS = 2  # gunicorn workers, as a small production server runs
# Fixed keys so that the data written by gen-data decrypts in every later process.
# Production settings (DEBUG off, static files collected and served by WhiteNoise), but
# plain HTTP on loopback: no redirect to HTTPS.
ENV = {
    "SECRET_KEY": "bench-only-secret-key-not-for-production-7f3a9c",
    "DANGJIAN_FIELD_KEY": "00112233445566778899aabbccddeeff",
    "DANGJIAN_AUDIT_KEY": "ffeeddccbbaa99887766554433221100" * 2,
    "DANGJIAN_DATA_DIR": str(VAR / "data"),
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "LOG_LEVEL": "ERROR",
}
# An earlier checkout (--src, for "before" figures) may not pass `collectstatic` in
# production mode (before acbe1c9 it failed on Bootstrap's missing source map): it serves
# static files from the apps instead, which the measured pages do not request.
OLD_CODE_ENV = {"DANGJIAN_TESTING": "1"}


def log(text: str) -> None:
    print(f"[{dt.datetime.now():%H:%M:%S}] {text}", flush=True)


def env_for(url: str, src: str | None) -> dict:
    env = dict(os.environ, **ENV, DATABASE_URL=url, DJANGO_SETTINGS_MODULE="dangjian.settings")
    env.pop("DANGJIAN_TESTING", None)
    if src:
        env["PYTHONPATH"] = str(Path(src) / "src")
        env.update(OLD_CODE_ENV)
    return env


def timed(cmd: list[str], env: dict, stdout=None) -> tuple[float, int, str]:
    """Run under /usr/bin/time: (seconds, peak KiB, stdout)."""
    fmt = "__TIME__ %e %M"
    proc = subprocess.run(
        ["/usr/bin/time", "-f", fmt, *cmd], env=env, capture_output=True, text=True, cwd=ROOT
    )
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("__TIME__")][-1]
    _, seconds, kib = line.split()
    return float(seconds), int(kib), proc.stdout


def dangjian(*args) -> list[str]:
    return [str(BIN / "dangjian"), *args]


def fresh_database(db: str, name: str, pg_url: str) -> str:
    if db == "sqlite":
        path = VAR / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    admin = f"{pg_url}/postgres"
    for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
        subprocess.run(["psql", admin, "-qc", sql], check=True, capture_output=True)
    return f"{pg_url}/{name}"


# -- HTTP ------------------------------------------------------------------------------
def request(port: int, method: str, url: str, headers: dict, body: bytes | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    started = time.perf_counter()
    conn.request(method, url, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    conn.close()
    return response, data, elapsed


def page_request(port: int, page: dict):
    """A function doing one request of the page (the export posts its form with a CSRF
    token fetched once)."""
    headers = {"Host": "127.0.0.1"}
    if page["token"]:
        headers["Authorization"] = f"Bearer {page['token']}"
    else:
        headers["Cookie"] = f"sessionid={page['cookie']}"
    if page["method"] == "GET":
        return lambda: request(port, "GET", page["url"], headers)
    response, data, _ = request(port, "GET", page["url"], headers)
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', data)
    if not (csrf_cookie and token):
        raise SystemExit(f"no CSRF token on {page['url']} ({response.status})")
    post_headers = dict(
        headers,
        Cookie=f"{headers['Cookie']}; csrftoken={csrf_cookie.group(1)}",
        **{"Content-Type": "application/x-www-form-urlencoded"},
    )
    body = urllib.parse.urlencode(
        {**page["form"], "csrfmiddlewaretoken": token.group(1).decode()}
    ).encode()
    return lambda: request(port, "POST", page["url"], post_headers, body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def summary(times: list[float]) -> dict:
    times = sorted(times)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(round(0.95 * len(times))) - 1)], 1),
        "max_ms": round(times[-1], 1),
        "requests": len(times),
    }


def version_bumper(url: str, hospital_code: str):
    """A function that bumps the data version of one hospital (core.datacache) as a write
    there would: the measured hospital, so its pages, its branch's and the city's (that
    hospital's part) are computed again on the next request of every worker."""
    sql = (
        "UPDATE dangjian_unit_version SET n = n + 1 WHERE unit = "
        f"(SELECT substr(path, 1, 8) FROM orgs_organization WHERE code = '{hospital_code}')"
    )
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")

        def bump():
            with sqlite3.connect(path, timeout=30) as db:
                db.execute(sql)

        return bump
    return lambda: subprocess.run(["psql", url, "-qc", sql], check=True, capture_output=True)


@contextlib.contextmanager
def gunicorn(env: dict, workers: int = WORKERS):
    """The app under gunicorn on a free loopback port (yielded) until the block ends."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "dangjian.wsgi", "--workers", str(workers), "--bind",
         f"127.0.0.1:{port}", "--log-level", "error", "--timeout", "300"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def serve_and_measure(env: dict, pages: list[dict], args) -> dict:
    hospital = next(p for p in pages if p["page"] == "dashboard_hospital")
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(hospital["url"]).query)["org"][0]
    bump = version_bumper(env["DATABASE_URL"], code)
    with gunicorn(env) as port:
        results = {}
        for page in pages:
            do = page_request(port, page)
            # Both workers: templates, connections, figures. Sequential requests may all
            # be taken by one worker (a sync worker waiting in accept() takes the next),
            # leaving the other to compute the city cold on its first request after a
            # write; pairs sent together reach both, one busy while the other accepts.
            with ThreadPoolExecutor(max_workers=WORKERS) as pool:
                for _ in range(args.warmup):
                    list(pool.map(lambda _, do=do: do(), range(WORKERS)))
            times, statuses = [], set()
            for _ in range(args.requests):
                response, _, elapsed = do()
                statuses.add(response.status)
                times.append(elapsed)
            # The first view after a write somewhere in the city: the figures computed.
            after_write = []
            for _ in range(args.after_write):
                bump()
                response, _, elapsed = do()
                statuses.add(response.status)
                after_write.append(elapsed)
            results[page["page"]] = {
                **summary(times),
                "statuses": sorted(statuses),
                "after_write": summary(after_write) if after_write else None,
            }
        return results


# -- one database and size ---------------------------------------------------------------
def run_one(db: str, n: int, args, rounds: int = 7) -> dict:
    name = f"bench_{args.label}_{db}_{n}".replace("-", "_")
    url = fresh_database(db, name, args.pg_url)
    env = env_for(url, args.src)
    log(f"{db} N={n}: migrate")
    subprocess.run(dangjian("migrate", "-v0"), env=env, check=True, cwd=ROOT)
    log(f"{db} N={n}: gen-data")
    seconds, kib, out = timed(dangjian("gen-data", "--hospitals", str(n), "--json"), env)
    counts = json.loads(out.strip().splitlines()[-1])
    log(f"{db} N={n}: gen-data {seconds} s, peak {kib // 1024} MiB; measuring in process")
    measure = [sys.executable, str(ROOT / "bench" / "measure.py"), "--rounds", str(rounds)]
    _, _, out = timed(measure, env)
    inproc = json.loads(out)
    log(f"{db} N={n}: gunicorn, {args.requests} requests per page")
    http = serve_and_measure(env, inproc["pages"], args)
    for page in inproc["pages"]:
        page["http"] = http[page["page"]]
        page.pop("cookie"), page.pop("token")
    return {
        "db": db,
        "hospitals": n,
        "database_url": url if db == "sqlite" else url.rsplit("/", 1)[0] + "/…",
        "gen_data": {"seconds": seconds, "peak_kib": kib, "rows": counts},
        **{k: v for k, v in inproc.items()},
    }


def roster_round_trip(db: str, args, hospital: str) -> dict:
    """Export the whole city's workbook from the N=87 database, import it into an empty
    one; export the chosen hospital's roster with the command."""
    source = env_for(fresh_database_url(db, f"bench_{args.label}_{db}_87", args.pg_url), args.src)
    workbook = VAR / f"city-{db}.xlsx"
    log(f"{db}: export-roster GEN")
    export_s, export_kib, _ = timed(
        dangjian("export-roster", "--org", "GEN", "-o", str(workbook)), source
    )
    small = VAR / f"{hospital}.xlsx"
    h_s, h_kib, _ = timed(dangjian("export-roster", "--org", hospital, "-o", str(small)), source)
    target_url = fresh_database(db, f"bench_{args.label}_{db}_import", args.pg_url)
    target = env_for(target_url, args.src)
    subprocess.run(dangjian("migrate", "-v0"), env=target, check=True, cwd=ROOT)
    log(f"{db}: import-roster of the city workbook")
    import_s, import_kib, out = timed(dangjian("import-roster", str(workbook)), target)
    return {
        "db": db,
        "city_export": {"seconds": export_s, "peak_kib": export_kib,
                        "bytes": workbook.stat().st_size},
        "city_import": {"seconds": import_s, "peak_kib": import_kib,
                        "output": out.strip().splitlines()[-1:]},
        "hospital_export": {"org": hospital, "seconds": h_s, "peak_kib": h_kib},
    }  # fmt: skip


def fresh_database_url(db: str, name: str, pg_url: str) -> str:
    return f"sqlite:///{VAR / name}.sqlite3" if db == "sqlite" else f"{pg_url}/{name}"


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError):
        pass
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    import sqlite3

    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": pg,
        "load_before": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dbs", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--sizes", nargs="*", type=int, default=[8, 87],
                        help="city sizes; none (`--sizes` alone) with --province measures only the province")  # fmt: skip
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=6)
    parser.add_argument("--after-write", type=int, default=10,
                        help="requests each after a write (the figures computed)")  # fmt: skip
    parser.add_argument("--pg-url", default="postgres://dangjian@127.0.0.1:55433")
    parser.add_argument("--src", default=None)
    parser.add_argument("--label", default="after")
    parser.add_argument("--no-roster", action="store_true")
    parser.add_argument("--province", type=int, default=0,
                        help="then a province of this many hospitals on PostgreSQL (issue 15)")  # fmt: skip
    parser.add_argument("-o", "--output", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()
    (VAR / "data").mkdir(parents=True, exist_ok=True)
    output = Path(args.output)
    results = json.loads(output.read_text()) if output.exists() else {}
    run = {"machine": machine(), "started": dt.datetime.now().isoformat(timespec="seconds"),
           "src": args.src or str(ROOT), "runs": [], "roster": []}  # fmt: skip
    git = subprocess.run(["git", "-C", args.src or str(ROOT), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip()  # fmt: skip
    dirty = subprocess.run(["git", "-C", args.src or str(ROOT), "status", "--porcelain"],
                           capture_output=True, text=True).stdout.strip()  # fmt: skip
    run["commit"] = f"{git} with uncommitted changes" if git and dirty else git
    if not args.src:
        log("collectstatic")
        static_env = env_for(fresh_database_url("sqlite", "static", args.pg_url), None)
        subprocess.run(dangjian("collectstatic", "--noinput", "-v0"), env=static_env,
                       check=True, cwd=ROOT)  # fmt: skip
    for db in args.dbs:
        hospital = None
        for n in args.sizes:
            one = run_one(db, n, args)
            run["runs"].append(one)
            if n == 87:
                hospital = one["hospital"]
            results[args.label] = run
            output.write_text(json.dumps(results, ensure_ascii=False, indent=1))
        if hospital and not args.no_roster:
            run["roster"].append(roster_round_trip(db, args, hospital))
            output.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    if args.province and "postgres" in args.dbs:
        # The cold floors of a province take seconds each: two rounds, not seven.
        run["province"] = run_one("postgres", args.province, args, rounds=2)
        results[args.label] = run
        output.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    run["finished"] = dt.datetime.now().isoformat(timespec="seconds")
    results[args.label] = run
    output.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    log(f"wrote {output}")


if __name__ == "__main__":
    main()
