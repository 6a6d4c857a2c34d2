"""In-process half of the load test (run by bench/load.py against a database that
`dangjian gen-data` has filled; DATABASE_URL and the settings come from the environment).

Makes the city's users: for each of the four kinds, `--users` identities (so that every
simulated user at the largest level has its own), each with a session of its own (made
with Django's test client, as a login would: no password hashing during the run), and
for the guidance committee an API token. Offices are spread over the hospitals,
secretaries over the hospitals' largest branches, members are members of those branches
with an account linked to their person. Each writer gets members of its own to record
payments for (no two writers share one, so no two pay the same month at once).
Prints the plan as one JSON object for bench/locustfile.py.

    python bench/load_setup.py [--users 60]
"""

import argparse
import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from dangjian.accounts.models import Role, User  # noqa: E402
from dangjian.accounts.services import grant_role, issue_token  # noqa: E402
from dangjian.core.dates import add_months  # noqa: E402
from dangjian.dues.models import DuesBill  # noqa: E402
from dangjian.dues.rules import MAKE_UP_MONTHS  # noqa: E402
from dangjian.dues.services import first_of_month  # noqa: E402
from dangjian.meetings.models import Meeting  # noqa: E402
from dangjian.orgs.models import Organization, OrgKind  # noqa: E402
from dangjian.people.models import Person  # noqa: E402

CITY = "GEN"
GUIDANCE_ACCOUNTS = 6  # a committee's handful of members, each with several sessions
SAMPLE = 40  # member pages and meetings a user visits, per identity


def account(username: str, role: str, org: Organization) -> User:
    """A bench account holding `role` on `org`, whose password needs no change (it never
    logs in with one: its sessions are made here)."""
    user, created = User.objects.get_or_create(username=username, defaults={"organization": org})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    grant_role(username, role, org)
    User.objects.filter(pk=user.pk).update(
        must_change_password=False, password_changed_at=timezone.now()
    )
    return user


def session_for(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def payable(people: list[int], oldest, current) -> list[int]:
    """Of `people`, those with an unpaid bill a clerk may record without an approval."""
    return sorted(
        set(
            DuesBill.objects.filter(
                person_id__in=people,
                paid_by__isnull=True,
                amount__gt=0,
                month__gte=oldest,
                month__lte=current,
            ).values_list("person_id", flat=True)
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=60)
    args = parser.parse_args()
    n = args.users
    today = timezone.localdate()
    current = first_of_month(today)
    oldest = add_months(current, -MAKE_UP_MONTHS)
    city = Organization.objects.get(code=CITY)
    hospitals = list(
        Organization.objects.filter(kind=OrgKind.COMMITTEE, code__startswith=f"{CITY}-H").order_by(
            "code"
        )
    )

    guidance = []
    for i in range(n):
        user = account(f"bench-load-guidance-{i % GUIDANCE_ACCOUNTS}", Role.GUIDANCE, city)
        guidance.append(
            {
                "session": session_for(user),
                "token": issue_token(user) if i < GUIDANCE_ACCOUNTS else None,
                "hospitals": [h.code for h in hospitals],
            }
        )
    for i, g in enumerate(guidance):  # one token per account, shared by its sessions
        g["token"] = guidance[i % GUIDANCE_ACCOUNTS]["token"]

    # Secretaries: the largest branch of each of n hospitals; members: their members.
    branches = []
    for i in range(n):
        hospital = hospitals[i % len(hospitals)]
        taken = {b.pk for b in branches}
        branch = (
            Organization.objects.filter(kind=OrgKind.BRANCH, path__startswith=hospital.path)
            .exclude(pk__in=taken)
            .annotate(size=Count("people"))
            .order_by("-size", "code")
            .first()
        )
        branches.append(branch)
    secretaries, members, in_branches = [], [], set()
    for branch in branches:
        people = list(
            Person.objects.filter(organization=branch).order_by("pk").values_list("pk", flat=True)
        )
        in_branches.update(people)
        meetings = list(
            Meeting.objects.filter(organization=branch)
            .order_by("-planned_on", "-pk")
            .values_list("pk", flat=True)[:SAMPLE]
        )
        user = account(f"bench-load-secretary-{branch.code}", Role.SECRETARY, branch)
        secretaries.append(
            {
                "session": session_for(user),
                "branch": branch.code,
                "people": people[:SAMPLE],
                "meetings": meetings,
                "payees": payable(people, oldest, current),
            }
        )
        person = Person.objects.get(pk=people[0])
        member = person.user or account(f"bench-load-member-{person.pk}", Role.MEMBER, branch)
        if person.user_id is None:
            Person.objects.filter(pk=person.pk).update(user=member)
        grant_role(member.username, Role.MEMBER, branch)
        members.append({"session": session_for(member), "person": person.pk})

    offices = []
    for i in range(n):
        hospital = hospitals[i % len(hospitals)]
        user = account(f"bench-load-office-{hospital.code}", Role.OFFICE, hospital)
        people = list(
            Person.objects.filter(organization__path__startswith=hospital.path)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # Sessions of one office (more users than hospitals) share no payee.
        rounds = -(-n // len(hospitals))
        own = [pk for pk in people if pk not in in_branches][i // len(hospitals) :: rounds]
        offices.append(
            {
                "session": session_for(user),
                "hospital": hospital.code,
                "people": people[:: max(1, len(people) // SAMPLE)][:SAMPLE],
                "payees": payable(own, oldest, current),
            }
        )

    short = [w for w in secretaries + offices if len(w["payees"]) < 3]
    if short:
        raise SystemExit(f"{len(short)} writers have fewer than 3 members with a payable bill")
    json.dump(
        {
            "city": CITY,
            "today": today.isoformat(),
            "oldest_payable": oldest.isoformat(),
            "current_month": current.isoformat(),
            "guidance": guidance,
            "office": offices,
            "secretary": secretaries,
            "member": members,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
