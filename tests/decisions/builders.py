"""A hospital Party committee of `n` at hospital A of the `world` fixture, and matters."""

import datetime as dt

from dangjian.decisions import services
from dangjian.orgs.models import CommitteePost
from tests.factories import add_seat, make_member

D = dt.date
PROPOSED_ON, MEETING_DAY = D(2025, 3, 1), D(2025, 3, 10)
POSTS = [CommitteePost.SECRETARY, CommitteePost.DEPUTY_SECRETARY, CommitteePost.ORGANIZATION,
         CommitteePost.PUBLICITY, CommitteePost.DISCIPLINE, CommitteePost.YOUTH]  # fmt: skip


def committee(hospital, n=7):
    people = []
    for i in range(n):
        person = make_member(hospital)
        add_seat(hospital, person, POSTS[i % len(POSTS)], started_on=D(2020, 1, 1))
        people.append(person)
    return people


def matter(hospital, category="major_decision", amount=None, title="年度预算方案", day=PROPOSED_ON):
    return services.register_matter(
        hospital,
        services.MatterInput(category=category, title=title, proposer="财务科", proposed_on=day,
                             amount=amount),
        today=day,
    )  # fmt: skip


def meeting_with(hospital, members, *, present, day=MEETING_DAY, body="party_committee_meeting"):
    meeting = services.plan_meeting(
        hospital, body=body, title="2025年第3次党委会", held_on=day,
        attendees=None if body == "party_committee_meeting" else members,
    )  # fmt: skip
    for person in members[present:]:
        services.set_attendance(meeting, person, state="leave", reason="公出")
    return meeting
