"""Past one machine, on loopback (issue 15): a PostgreSQL primary, a hot standby made
with `pg_basebackup -R` (streaming replication), PgBouncer in transaction mode in front
of the primary, and the app under gunicorn reaching the primary through PgBouncer
(DATABASE_POOLER=pgbouncer) and the standby directly (DATABASE_REPLICA_URL).

It generates a small city, fetches the city dashboard and the stats API, records a dues
payment over HTTP, and shows from the servers' own counters where each went: the
figures' statements counted by pg_stat_statements on the standby, the transactions
PgBouncer passed to the primary, the payment on the primary and then on the standby.
Prints a short result and keeps it in bench/results.json under "replica".

    python bench/replica.py [--hospitals 3] [--dir /tmp/dangjian-replica]

Installs PostgreSQL and PgBouncer with apt when they are missing (as root).
"""

import argparse
import contextlib
import datetime as dt
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))
from city import ENV, free_port, gunicorn, log  # noqa: E402

VAR = ROOT / "var" / "bench-replica"
DB = "dangjian"
PASSWORD = "Bench-2026-replica!"
FIGURE_TABLE = "people_statusperiod"  # every member figure reads it


def as_postgres(cmd: list[str], **kwargs):
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


def install_missing() -> Path:
    need = []
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        need.append("postgresql")
    if not shutil.which("pgbouncer") and not Path("/usr/sbin/pgbouncer").exists():
        need.append("pgbouncer")
    if need:
        log(f"apt-get install {' '.join(need)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", *need], check=True, env=env,
                       stdout=subprocess.DEVNULL)  # fmt: skip
    return sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)[-1]


def psql(port: int, sql: str, db: str = DB, user: str = "dangjian") -> str:
    out = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", user, "-d", db, "-AtXqc", sql],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return out.stdout.strip()


class Cluster:
    """The primary, the standby and PgBouncer, stopped in reverse order of starting."""

    def __init__(self, pg_bin: Path, base: Path, ports: dict):
        self.pg_bin, self.base, self.ports = pg_bin, base, ports
        self.started: list = []

    def pg_ctl(self, name: str, action: str, options: str = ""):
        data = self.base / name
        args = [str(self.pg_bin / "pg_ctl"), "-D", str(data), "-l", str(self.base / f"{name}.log"),
                "-w", action]  # fmt: skip
        if options:
            args[1:1] = ["-o", options]
        as_postgres(args)

    def start(self):
        if self.base.exists():
            shutil.rmtree(self.base)
        self.base.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres")
        primary, standby = self.base / "primary", self.base / "standby"
        as_postgres([str(self.pg_bin / "initdb"), "-D", str(primary), "-U", "dangjian",
                     "--auth=trust", "-E", "UTF8"])  # fmt: skip
        common = (f"-c listen_addresses=127.0.0.1 -k {self.base} -c fsync=off "
                  "-c shared_preload_libraries=pg_stat_statements -c jit=off")  # fmt: skip
        self.pg_ctl("primary", "start", f"{common} -p {self.ports['primary']}")
        self.started.append(lambda: self.pg_ctl("primary", "stop"))
        log(f"primary on {self.ports['primary']}; pg_basebackup -R for the standby")
        as_postgres([str(self.pg_bin / "pg_basebackup"), "-h", "127.0.0.1",
                     "-p", str(self.ports["primary"]), "-U", "dangjian", "-D", str(standby),
                     "-R", "-X", "stream", "-c", "fast"])  # fmt: skip
        self.pg_ctl("standby", "start", f"{common} -p {self.ports['standby']}")
        self.started.append(lambda: self.pg_ctl("standby", "stop"))
        recovery = psql(self.ports["standby"], "SELECT pg_is_in_recovery()", db="postgres")
        log(f"standby on {self.ports['standby']}, in recovery: {recovery}")
        self.start_pgbouncer()

    def start_pgbouncer(self):
        conf = self.base / "pgbouncer.ini"
        (self.base / "userlist.txt").write_text('"dangjian" ""\n')
        conf.write_text(
            "[databases]\n"
            f"{DB} = host=127.0.0.1 port={self.ports['primary']} dbname={DB}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.ports['pgbouncer']}\n"
            "unix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {self.base / 'userlist.txt'}\n"
            "admin_users = dangjian\nstats_users = dangjian\n"
            "pool_mode = transaction\ndefault_pool_size = 10\nmax_client_conn = 200\n"
            "ignore_startup_parameters = extra_float_digits\n"
            f"logfile = {self.base / 'pgbouncer.log'}\npidfile = {self.base / 'pgbouncer.pid'}\n"
        )
        for path in (conf, self.base / "userlist.txt"):
            if os.geteuid() == 0:
                shutil.chown(path, "postgres")
        binary = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
        as_postgres([binary, "-d", str(conf)])
        self.started.append(self.stop_pgbouncer)
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", self.ports["pgbouncer"]), 1).close()
                break
            except OSError:
                time.sleep(0.1)
        log(f"PgBouncer (transaction mode) on {self.ports['pgbouncer']}")

    def stop_pgbouncer(self):
        pid = int((self.base / "pgbouncer.pid").read_text())
        os.kill(pid, signal.SIGTERM)

    def stop(self):
        for stop in reversed(self.started):
            try:
                stop()
            except (subprocess.CalledProcessError, OSError) as exc:
                log(f"stopping: {exc}")


def wait_replayed(ports: dict, timeout: float = 30) -> float:
    """Seconds until the standby has replayed the primary's WAL as of now."""
    position = psql(ports["primary"], "SELECT pg_current_wal_lsn()")
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if psql(ports["standby"], f"SELECT pg_last_wal_replay_lsn() >= '{position}'") == "t":
            return time.perf_counter() - started
        time.sleep(0.005)
    raise SystemExit("the standby did not catch up")


SETUP = """
import json
from django.conf import settings
from django.test import Client
from dangjian.accounts.models import Role, User
from dangjian.accounts.services import grant_role
from dangjian.dues.models import DuesBill
from dangjian.orgs.models import Organization

def account(username, role, org):
    user, _ = grant_role(username, role, org, password=PASSWORD)
    User.objects.filter(pk=user.pk).update(must_change_password=False)
    return User.objects.get(pk=user.pk)

city = Organization.objects.get(code="GEN")
bill = (DuesBill.objects.filter(paid_by__isnull=True).select_related("person__organization")
        .order_by("-month", "pk").first())
hospital = next(org for org in bill.person.organization.get_ancestors()
                if org.code.startswith("GEN-H") and "-" not in org.code[4:])
client = Client()
client.force_login(account("bench-city", Role.GUIDANCE, city))
office = account("bench-office", Role.OFFICE, hospital)
tokens = {}
for name in ("bench-city", "bench-office"):
    tokens[name] = Client().post("/api/v1/auth/token", {"username": name, "password": PASSWORD},
                                 content_type="application/json").json()["token"]
print(json.dumps({"cookie": client.cookies[settings.SESSION_COOKIE_NAME].value,
                  "city_token": tokens["bench-city"], "office_token": tokens["bench-office"],
                  "person": bill.person_id, "month": bill.month.isoformat()}))
"""


def statements(port: int) -> dict:
    """Calls of the figures' statements (reading FIGURE_TABLE) and of all statements in
    the app's database, from pg_stat_statements on that server."""
    sql = (
        "SELECT coalesce(sum(calls) FILTER (WHERE query ILIKE "
        f"'%{FIGURE_TABLE}%' AND query ILIKE 'SELECT%'), 0), coalesce(sum(calls), 0) "
        f"FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE datname = '{DB}'"
    )
    figures, total = psql(port, sql).split("|")
    return {"figure_statements": int(figures), "statements": int(total)}


def pgbouncer_transactions(port: int) -> int:
    rows = psql(port, "SHOW STATS", db="pgbouncer").splitlines()
    for row in rows:
        cells = row.split("|")
        if cells[0] == DB:
            return int(cells[1])  # total_xact_count
    return 0


def fetch(port: int, method: str, url: str, headers: dict, body: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    data = json.dumps(body).encode() if body is not None else None
    if data:
        headers = dict(headers, **{"Content-Type": "application/json"})
    started = time.perf_counter()
    conn.request(method, url, body=data, headers={"Host": "127.0.0.1", **headers})
    response = conn.getresponse()
    payload = response.read()
    conn.close()
    return response.status, payload, round((time.perf_counter() - started) * 1000, 1)


def run(args) -> dict:
    pg_bin = install_missing()
    ports = {"primary": free_port(), "standby": free_port(), "pgbouncer": free_port()}
    cluster = Cluster(pg_bin, Path(args.dir), ports)
    serving = contextlib.ExitStack()  # gunicorn, once started
    try:
        cluster.start()
        psql(ports["primary"], f"CREATE DATABASE {DB}", db="postgres")
        psql(ports["primary"], "CREATE EXTENSION pg_stat_statements")
        direct = f"postgres://dangjian@127.0.0.1:{ports['primary']}/{DB}"
        (VAR / "data").mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **ENV, "DANGJIAN_DATA_DIR": str(VAR / "data"),
               "DJANGO_SETTINGS_MODULE": "dangjian.settings"}  # fmt: skip
        env.pop("DANGJIAN_TESTING", None)
        # Migrations and the data go to the primary directly (as a deployment runs them).
        setup_env = dict(env, DATABASE_URL=direct)
        log(f"migrate, collectstatic, gen-data --hospitals {args.hospitals}")
        dangjian = str(BIN / "dangjian")
        for cmd in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"],
                    ["gen-data", "--hospitals", str(args.hospitals), "--years", "1"]):  # fmt: skip
            subprocess.run([dangjian, *cmd], env=setup_env, check=True, cwd=ROOT,
                           stdout=subprocess.DEVNULL)  # fmt: skip
        setup_env["ALLOWED_HOSTS"] = "testserver"
        out = subprocess.run([sys.executable, "-c", f"PASSWORD={PASSWORD!r}\nimport django; django.setup()\n{SETUP}"],
                             env=setup_env, check=True, capture_output=True, text=True, cwd=ROOT)  # fmt: skip
        who = json.loads(out.stdout.strip().splitlines()[-1])
        caught_up = wait_replayed(ports)
        log(f"standby caught up with the data in {caught_up:.3f} s")

        serve_env = dict(
            env,
            DATABASE_URL=f"postgres://dangjian@127.0.0.1:{ports['pgbouncer']}/{DB}",
            DATABASE_POOLER="pgbouncer",
            DATABASE_REPLICA_URL=f"postgres://dangjian@127.0.0.1:{ports['standby']}/{DB}",
        )
        port = serving.enter_context(gunicorn(serve_env))
        log(f"gunicorn on {port}: DATABASE_URL through PgBouncer, DATABASE_REPLICA_URL the standby")

        before = {"standby": statements(ports["standby"]), "primary": statements(ports["primary"]),
                  "pgbouncer": pgbouncer_transactions(ports["pgbouncer"])}  # fmt: skip
        reads = []
        for url, headers in [
            ("/dashboard/?org=GEN", {"Cookie": f"sessionid={who['cookie']}"}),
            ("/api/v1/stats?org=GEN", {"Authorization": f"Bearer {who['city_token']}"}),
        ]:
            for _ in range(args.requests):
                status, _, ms = fetch(port, "GET", url, headers)
                reads.append({"url": url, "status": status, "ms": ms})
        after_reads = {"standby": statements(ports["standby"]),
                       "primary": statements(ports["primary"]),
                       "pgbouncer": pgbouncer_transactions(ports["pgbouncer"])}  # fmt: skip

        payment = {"person_id": who["person"], "months": [who["month"]],
                   "paid_on": dt.date.today().isoformat(), "method": "transfer",
                   "reference": "BENCH-REPLICA"}  # fmt: skip
        status, body, ms = fetch(port, "POST", "/api/v1/dues/payments",
                                {"Authorization": f"Bearer {who['office_token']}"}, payment)  # fmt: skip
        if status != 201:
            raise SystemExit(f"the payment answered {status}: {body[:300]!r}")
        paid = json.loads(body)["id"]
        on_primary = psql(
            ports["primary"], f"SELECT count(*) FROM dues_duespayment WHERE id = {paid}"
        )
        started = time.perf_counter()
        on_standby = "0"
        while on_standby == "0" and time.perf_counter() - started < 10:
            on_standby = psql(
                ports["standby"], f"SELECT count(*) FROM dues_duespayment WHERE id = {paid}"
            )
        replicated_ms = round((time.perf_counter() - started) * 1000, 1)
        pooled = pgbouncer_transactions(ports["pgbouncer"])
        return {
            "started": dt.datetime.now().isoformat(timespec="seconds"),
            "hospitals": args.hospitals,
            "reads": {
                "requests": len(reads),
                "statuses": sorted({r["status"] for r in reads}),
                "ms_max": max(r["ms"] for r in reads),
                "figure_statements_on_standby": after_reads["standby"]["figure_statements"]
                - before["standby"]["figure_statements"],
                "figure_statements_on_primary": after_reads["primary"]["figure_statements"]
                - before["primary"]["figure_statements"],
                "statements_on_standby": after_reads["standby"]["statements"]
                - before["standby"]["statements"],
                "statements_on_primary": after_reads["primary"]["statements"]
                - before["primary"]["statements"],
                "pgbouncer_transactions": after_reads["pgbouncer"] - before["pgbouncer"],
            },
            "write": {
                "status": status,
                "ms": ms,
                "payment_id": paid,
                "on_primary": on_primary == "1",
                "on_standby": on_standby == "1",
                "replicated_within_ms": replicated_ms,
                "pgbouncer_transactions": pooled - after_reads["pgbouncer"],
            },
        }
    finally:
        serving.close()
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--hospitals", type=int, default=3)
    parser.add_argument("--requests", type=int, default=3, help="of each page")
    parser.add_argument("--dir", default="/tmp/dangjian-replica")
    parser.add_argument("-o", "--output", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()
    result = run(args)
    reads, write = result["reads"], result["write"]
    print(
        f"replica: {reads['requests']} reads of the city dashboard and stats API "
        f"({reads['statuses']}): {reads['figure_statements_on_standby']} figure statements "
        f"on the standby, {reads['figure_statements_on_primary']} on the primary "
        f"({reads['statements_on_standby']} and {reads['statements_on_primary']} statements in "
        "all: the primary keeps sessions, accounts and the freshness check); "
        f"PgBouncer passed {reads['pgbouncer_transactions']} transactions.\n"
        f"replica: a payment over HTTP ({write['status']}, {write['ms']} ms) is on the "
        f"primary: {write['on_primary']}, replicated to the standby: {write['on_standby']} "
        f"(within {write['replicated_within_ms']} ms)."
    )
    output = Path(args.output)
    results = json.loads(output.read_text()) if output.exists() else {}
    results["replica"] = result
    output.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    ok = (reads["figure_statements_on_standby"] > 0 and reads["figure_statements_on_primary"] == 0
          and write["on_primary"] and write["on_standby"] and reads["statuses"] == [200])  # fmt: skip
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
