"""三重一大 pages: each renders for hospital A, is 404 for hospital B's user and keeps its
query count; the office records a Party committee meeting and the page refuses a decision
without quorum (JOURNEYS office step 5)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.models import Role
from dangjian.decisions import services
from dangjian.decisions.models import DecisionAttachment, DecisionMeeting, MajorMatter
from tests.pages.scoped import ScopedPageTest

from .builders import committee, matter, meeting_with

pytestmark = pytest.mark.django_db


def add_matters(world, n):
    for i in range(n):
        found = matter(world.ha, title=f"事项{MajorMatter.objects.count()}")
        services.add_consultation(found, held_on=found.proposed_on, panel="专家组")
        services.add_solicitation(
            found, solicited_on=found.proposed_on, audience="职工", opinions=i + 1
        )


def the_meeting(world):
    found = DecisionMeeting.objects.filter(organization=world.ha).first()
    if found is None:
        found = meeting_with(world.ha, committee(world.ha, 7), present=7)
    return found


class TestRegister(ScopedPageTest):
    expected_text = ("“三重一大”事项登记", "事项0", "财务科", "登记事项")

    def url(self, world):
        return reverse("decisions:register") + f"?org={world.ha.code}&year=2025"

    def grow(self, world, n):
        add_matters(world, n)


class TestMatter(ScopedPageTest):
    expected_text = ("专家咨询论证", "征求意见", "事项0")

    def url(self, world):
        return reverse(
            "decisions:matter", args=[MajorMatter.objects.filter(organization=world.ha).first().pk]
        )

    def grow(self, world, n):
        if not MajorMatter.objects.exists():
            add_matters(world, 1)
        first = MajorMatter.objects.first()
        for _ in range(n):
            services.add_consultation(first, held_on=first.proposed_on, panel="论证组")


class TestMeetingList(ScopedPageTest):
    expected_text = ("党委会", "2025年第3次党委会")

    def url(self, world):
        return reverse("decisions:meetings") + f"?org={world.ha.code}"

    def grow(self, world, n):
        if not DecisionMeeting.objects.exists():
            committee(world.ha, 3)
        for _ in range(n):
            services.plan_meeting(
                world.ha, body="party_committee_meeting", title="2025年第3次党委会",
                held_on=matter(world.ha).proposed_on,
            )  # fmt: skip


class TestMeetingPage(ScopedPageTest):
    expected_text = ("应到 7 人，实到 7 人", "出席情况", "议题", "登记结果")

    def url(self, world):
        return reverse("decisions:meeting", args=[the_meeting(world).pk])

    def grow(self, world, n):
        meeting = the_meeting(world)
        for _ in range(n):
            services.add_agenda_item(
                meeting, matter(world.ha, title=f"议题{MajorMatter.objects.count()}")
            )


class TestSettings(ScopedPageTest):
    expected_text = ("大额资金标准", "院长办公会可决定的事项类别")

    def url(self, world):
        return reverse("decisions:settings") + f"?org={world.ha.code}"

    def grow(self, world, n):
        add_matters(world, n)


class TestExport(ScopedPageTest):
    def url(self, world):
        return reverse("decisions:export") + f"?org={world.ha.code}"

    def grow(self, world, n):
        add_matters(world, n)


class TestAttachment(ScopedPageTest):
    def url(self, world):
        return reverse("decisions:attachment", args=[DecisionAttachment.objects.first().pk])

    def grow(self, world, n):
        meeting = the_meeting(world)
        for i in range(n):
            services.add_attachment(meeting, SimpleUploadedFile(f"纪要{i}.pdf", b"%PDF-1.4"))


def test_the_office_records_a_meeting_and_quorum_is_checked_first(client, world):
    members = committee(world.ha, 7)
    proposal = matter(world.ha, "key_appointment", title="科室主任聘任")
    client.force_login(world.user(Role.OFFICE, "A"))
    new = client.post(
        reverse("decisions:meeting_new") + f"?org={world.ha.code}",
        {"body": "party_committee_meeting", "title": "2025年第3次党委会", "held_on": "2025-03-10"},
    )
    meeting = DecisionMeeting.objects.get()
    assert new.status_code == 302 and meeting.should_attend == 7
    url = reverse("decisions:meeting", args=[meeting.pk])
    rows = {row.person_id: row.pk for row in meeting.attendance.all()}
    absent = {f"state-{rows[p.pk]}": "leave" for p in members[4:]}
    absent.update({f"reason-{rows[p.pk]}": "公出" for p in members[4:]})
    assert client.post(url, {"action": "attendance", **absent}).status_code == 302
    assert client.post(url, {"action": "agenda", "matter": proposal.pk}).status_code == 302
    item = meeting.items.get()
    page = client.post(url, {"action": "outcome", "item": item.pk, "outcome": "approved",
                             "votes_for": 4, "decision": "同意聘任"})  # fmt: skip
    assert page.status_code == 200 and "三分之二" in page.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "proposed"


def test_export_lists_the_register(client, world):
    add_matters(world, 2)
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.get(reverse("decisions:export") + f"?org={world.ha.code}")
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert rows[0][1] == "事项" and len(rows) == 3
    assert sorted(r[6] for r in rows[1:]) == [1, 2] and all(r[5] == 1 for r in rows[1:])


def test_a_read_only_role_reads_but_may_not_change_the_register(client, world):
    add_matters(world, 1)
    client.force_login(world.user(Role.AUDITOR, "A"))
    assert client.get(reverse("decisions:register") + f"?org={world.ha.code}").status_code == 200
    assert client.get(reverse("decisions:matter_new") + f"?org={world.ha.code}").status_code == 403
