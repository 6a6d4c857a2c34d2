"""The city's users for the load test (bench/load.py runs locust on it, headless).

Four kinds of user, in a city's proportions (weights 1 : 2 : 3 : 4), each thinking
BENCH_THINK seconds (default 1–3) between pages, each request with its own session made by
bench/load_setup.py (its plan is the JSON file BENCH_PLAN):

- guidance committee: the city's dashboard (which compares the hospitals), a hospital's
  dashboard (a drill-down from that comparison), the stats API for the city and a
  hospital (bearer token);
- a hospital's Party office: its dashboard, member list, member pages, the month's dues
  and the arrears; writes: records a member's dues payment;
- a branch secretary: the branch's dashboard and page, its meetings and a meeting's page,
  its members, the month's dues; writes: records a member's dues payment, and records a
  meeting (plans it, then files it held with minutes);
- a member: their own page and "my dues" (members do not record payments themselves: the
  branch or the office records the dues a member hands in, and those are the writes).

Writes go through the pages' own forms with their CSRF token, as a browser would: the form
is fetched (a read), then posted (a write, named "POST …"); a post must answer with the
redirect of success, anything else is a failure. Every response is checked: a read must
answer 200 (no redirect to the login page), so any error shows in locust's failures.
BENCH_WRITES=0 runs the same mix without the write tasks. BENCH_STATS_HOST sends the heavy
statistics reads (STATS_PATHS) to a second gunicorn pool, as the nginx rules in
bench/LOAD_NOTES.md do in a deployment.
"""

import http.cookiejar
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text())
WRITES = os.environ.get("BENCH_WRITES", "1") == "1"
THINK = [float(s) for s in os.environ.get("BENCH_THINK", "1 3").split()]
STATS_HOST = os.environ.get("BENCH_STATS_HOST", "")
# The heavy statistics reads: every dashboard and the stats API (nginx `location` rules).
STATS_PATHS = ("/dashboard/", "/api/v1/stats")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")
MONTH_BOX = re.compile(r'name="months" value="(\d{4}-\d\d-\d\d)"')


class NoCookies(http.cookiejar.DefaultCookiePolicy):
    """Cookies are sent by hand (the production cookies are `Secure`, and this is plain
    HTTP on loopback), so the client's jar keeps none."""

    def set_ok(self, cookie, request):
        return False


def route(path: str) -> str:
    """The pool a path goes to: the statistics pool when there is one."""
    if STATS_HOST and path.startswith(STATS_PATHS):
        return STATS_HOST + path
    return path


class CityUser(HttpUser):
    abstract = True
    wait_time = between(*THINK)
    kind = ""
    _next = {}

    def on_start(self):
        # Each simulated user takes the next identity of its kind.
        index = CityUser._next.get(self.kind, 0)
        CityUser._next[self.kind] = index + 1
        self.me = PLAN[self.kind][index % len(PLAN[self.kind])]
        self.client.cookies.set_policy(NoCookies())
        self.cookies = {"sessionid": self.me["session"]}
        self.payees = list(self.me.get("payees", []))
        random.shuffle(self.payees)

    def headers(self) -> dict:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    def get(self, name: str, path: str, headers: dict | None = None):
        with self.client.get(
            route(path),
            name=name,
            headers=headers or self.headers(),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")
            return response

    def form(self, name: str, path: str) -> tuple[str, str]:
        """Fetch a form page (a read): its CSRF token and its HTML; keeps the CSRF cookie."""
        response = self.get(name, path)
        cookie = CSRF_COOKIE.search(response.headers.get("Set-Cookie", ""))
        if cookie:
            self.cookies["csrftoken"] = cookie.group(1)
        token = CSRF_INPUT.search(response.text)
        return (token.group(1) if token else ""), response.text

    def post(self, name: str, path: str, data: dict, expect: str) -> str | None:
        """Post a form; success is the redirect to `expect` (returns its Location)."""
        with self.client.post(
            route(path),
            name=name,
            data=data,
            headers=self.headers(),
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or not location.startswith(expect):
                errors = re.findall(
                    r'class="[^"]*(?:invalid-feedback|alert-danger)[^"]*"[^>]*>([^<]+)',
                    response.text,
                )
                response.failure(f"{response.status_code} {location} {' '.join(errors)[:200]}")
                return None
            return location

    def pay_dues(self):
        """Record a member's payment of the oldest month a clerk may record."""
        while self.payees:
            pk = self.payees[0]
            path = f"/dues/person/{pk}/pay/"
            token, page = self.form("dues: payment form", path)
            months = [
                m
                for m in MONTH_BOX.findall(page)
                if PLAN["oldest_payable"] <= m <= PLAN["current_month"]
            ]
            if months:
                form = {"csrfmiddlewaretoken": token, "months": min(months),
                        "paid_on": PLAN["today"], "method": "cash"}  # fmt: skip
                self.post("POST dues: record a payment", path, form, "/dues/?")
                return
            self.payees.pop(0)  # nothing left to record for this member
        self.environment.events.request.fire(
            request_type="POST", name="POST dues: record a payment", response_time=0,
            response_length=0, context={},
            exception=RuntimeError("no member with a payable bill left for this writer"),
        )  # fmt: skip


class Guidance(CityUser):
    weight = 1
    kind = "guidance"

    def api(self, name: str, path: str):
        return self.get(name, path, headers={"Authorization": f"Bearer {self.me['token']}"})

    @task(3)
    def city_dashboard(self):
        self.get("dashboard: city (hospitals compared)", f"/dashboard/?org={PLAN['city']}")

    @task(3)
    def hospital_dashboard(self):
        code = random.choice(self.me["hospitals"])
        self.get("dashboard: hospital (guidance drill-down)", f"/dashboard/?org={code}")

    @task(2)
    def city_stats(self):
        self.api("API stats: city", f"/api/v1/stats?org={PLAN['city']}")

    @task(1)
    def hospital_stats(self):
        self.api("API stats: hospital", f"/api/v1/stats?org={random.choice(self.me['hospitals'])}")


class Office(CityUser):
    weight = 2
    kind = "office"

    @task(4)
    def dashboard(self):
        self.get("dashboard: hospital (office)", f"/dashboard/?org={self.me['hospital']}")

    @task(4)
    def members(self):
        self.get("members: hospital list", f"/people/?org={self.me['hospital']}")

    @task(2)
    def members_page2(self):
        self.get("members: hospital list, page 2", f"/people/?org={self.me['hospital']}&page=2")

    @task(6)
    def member(self):
        self.get("member page (office)", f"/people/{random.choice(self.me['people'])}/")

    @task(4)
    def dues_month(self):
        self.get("dues: month (hospital)", f"/dues/?org={self.me['hospital']}")

    @task(2)
    def arrears(self):
        self.get("dues: arrears (hospital)", f"/dues/arrears/?org={self.me['hospital']}")

    @task(2 if WRITES else 0)  # against 22 of reads: with the secretaries', 5 % writes
    def pay(self):
        self.pay_dues()


class Secretary(CityUser):
    weight = 3
    kind = "secretary"

    @task(4)
    def dashboard(self):
        self.get("dashboard: branch (secretary)", f"/dashboard/?org={self.me['branch']}")

    @task(2)
    def branch(self):
        self.get("branch page", f"/orgs/{self.me['branch']}/")

    @task(4)
    def meetings(self):
        self.get("meetings: branch list", f"/meetings/?org={self.me['branch']}")

    @task(4)
    def meeting(self):
        self.get("meeting page", f"/meetings/{random.choice(self.me['meetings'])}/")

    @task(4)
    def member(self):
        self.get("member page (secretary)", f"/people/{random.choice(self.me['people'])}/")

    @task(2)
    def members(self):
        self.get("members: branch list", f"/people/?org={self.me['branch']}")

    @task(2)
    def dues_month(self):
        self.get("dues: month (branch)", f"/dues/?org={self.me['branch']}")

    @task(1 if WRITES else 0)
    def pay(self):
        self.pay_dues()

    @task(1 if WRITES else 0)
    def record_meeting(self):
        """Plan a theme day for today, then file it held with its minutes."""
        branch = self.me["branch"]
        token, _ = self.form("meetings: new meeting form", f"/meetings/new/?org={branch}")
        plan = {"csrfmiddlewaretoken": token, "kind": "theme_day",
                "topic": "主题党日：学习交流（压力测试）", "planned_on": PLAN["today"]}  # fmt: skip
        location = self.post(
            "POST meetings: plan a meeting", f"/meetings/new/?org={branch}", plan, "/meetings/"
        )
        if location:
            held = {"csrfmiddlewaretoken": token, "action": "held", "held_on": PLAN["today"],
                    "minutes": "学习了党章有关内容，交流了学习体会。"}  # fmt: skip
            self.post("POST meetings: file it held", location, held, location)


class Member(CityUser):
    weight = 4
    kind = "member"

    @task(1)
    def own_page(self):
        self.get("member: own page", f"/people/{self.me['person']}/")

    @task(1)
    def my_dues(self):
        self.get("member: my dues", "/dues/mine/")
