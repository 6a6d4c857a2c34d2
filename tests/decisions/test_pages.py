"""三重一大 pages: each renders for hospital A, is 404 for hospital B's user and keeps its
query count; the office records a Party committee meeting and the page refuses a decision
without quorum (JOURNEYS office step 5)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.accounts.models import Role
from dangjian.core.models import AuditEntry
from dangjian.decisions import services
from dangjian.decisions.models import DecisionAttachment, DecisionMeeting, MajorMatter
from dangjian.decisions.services import OutcomeInput
from tests.factories import make_user
from tests.pages.scoped import ScopedPageTest, count_queries

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


class TestMatterNew(ScopedPageTest):
    expected_text = ("登记“三重一大”事项", "提出人（部门）")

    def url(self, world):
        return reverse("decisions:matter_new") + f"?org={world.ha.code}"

    def grow(self, world, n):
        add_matters(world, n)


class TestMeetingNew(ScopedPageTest):
    expected_text = ("安排党委会 / 院长办公会", "本组织现任党委委员", "2024年第5次党委会")

    def url(self, world):
        return reverse("decisions:meeting_new") + f"?org={world.ha.code}"

    def grow(self, world, n):
        committee(world.ha, n)


def test_register_filters_show_the_deciding_meeting_and_large_funds(client, world):
    members = committee(world.ha, 7)
    meeting = meeting_with(world.ha, members, present=6)
    fund = matter(world.ha, "large_fund", amount="800000", title="CT采购")
    budget = matter(world.ha, title="年度预算")
    item = services.add_agenda_item(meeting, budget)
    services.record_outcome(item, OutcomeInput("approved", "同意", 5), today=meeting.held_on)
    client.force_login(world.user(Role.OFFICE, "A"))
    base = reverse("decisions:register") + f"?org={world.ha.code}&year=2025"
    page = client.get(base).content.decode()
    assert "2025年第3次党委会" in page and "大额" in page and fund.title in page
    only_funds = client.get(base + "&category=large_fund").content.decode()
    assert fund.title in only_funds and budget.title not in only_funds
    approved = client.get(base + "&status=approved").content.decode()
    assert budget.title in approved and fund.title not in approved
    assert fund.title not in client.get(base.replace("2025", "2024")).content.decode()
    assert fund.title in client.get(base.replace("2025", "all")).content.decode()


def test_the_quorum_is_shown_live_and_the_outcome_checked_before_it_is_sent(client, world):
    members = committee(world.ha, 7)
    meeting = meeting_with(world.ha, members, present=7)
    item = services.add_agenda_item(meeting, matter(world.ha, "key_appointment", title="任免"))
    client.force_login(world.user(Role.OFFICE, "A"))
    url = reverse("decisions:meeting", args=[meeting.pk])
    rows = list(meeting.attendance.order_by("pk"))
    states = {f"state-{r.pk}": "leave" for r in rows[4:]}
    audits = AuditEntry.objects.count()
    preview = client.post(url, {"action": "quorum", **states}, HTTP_HX_REQUEST="true")
    text = preview.content.decode()
    assert preview.status_code == 200 and "应到 7 人，实到 4 人" in text
    assert "已过半数" in text and "未达三分之二（至少 5 人）" in text
    assert not meeting.attendance.exclude(state="present").exists()
    check = client.post(url, {"action": "check", "item": item.pk, "outcome": "approved",
                              "votes_for": 3, "decision": "同意"})  # fmt: skip
    assert "未过应到会人数的半数" in check.content.decode()
    fine = client.post(url, {"action": "check", "item": item.pk, "outcome": "approved",
                             "votes_for": 5, "decision": "同意"})  # fmt: skip
    assert "符合议事规则" in fine.content.decode()
    assert AuditEntry.objects.count() == audits
    item.refresh_from_db()
    assert item.outcome == "pending"


def test_the_office_records_a_decision_and_attendance_is_then_fixed(client, world):
    members = committee(world.ha, 7)
    meeting = meeting_with(world.ha, members, present=7)
    item = services.add_agenda_item(meeting, matter(world.ha, title="年度预算"))
    client.force_login(world.user(Role.OFFICE, "A"))
    url = reverse("decisions:meeting", args=[meeting.pk])
    done = client.post(url, {"action": "outcome", "item": item.pk, "outcome": "approved",
                             "votes_for": 6, "votes_against": 1, "decision": "同意"})  # fmt: skip
    assert done.status_code == 302
    item.matter.refresh_from_db()
    assert item.matter.status == "approved" and item.matter.decided_on == meeting.held_on
    page = client.get(url).content.decode()
    assert "出席情况不能再修改" in page and "登记结果" not in page
    follow = client.post(reverse("decisions:matter", args=[item.matter.pk]),
                         {"action": "follow_up", "text": "已执行", "done": "on"})  # fmt: skip
    assert follow.status_code == 302
    item.matter.refresh_from_db()
    assert item.matter.follow_up_done


def test_a_president_office_meeting_needs_attendees_picked(client, world):
    leaders = committee(world.ha, 5)
    client.force_login(world.user(Role.OFFICE, "A"))
    url = reverse("decisions:meeting_new") + f"?org={world.ha.code}"
    data = {"body": "president_office_meeting", "title": "2025年第2次院长办公会",
            "held_on": "2025-03-10"}  # fmt: skip
    refused = client.post(url, data)
    assert refused.status_code == 200 and "请选择应参加会议的人员" in refused.content.decode()
    assert not DecisionMeeting.objects.exists()
    made = client.post(url, {**data, "attendees": [p.pk for p in leaders[:3]]})
    assert made.status_code == 302 and DecisionMeeting.objects.get().should_attend == 3
    outsider = committee(world.hb, 1)[0]
    refused = client.post(url, {**data, "attendees": [outsider.pk]})
    assert refused.status_code == 200 and DecisionMeeting.objects.count() == 1


def test_the_matter_page_adds_consultations_and_opinions(client, world):
    found = matter(world.ha)
    client.force_login(world.user(Role.OFFICE, "A"))
    url = reverse("decisions:matter", args=[found.pk])
    ok = client.post(url, {"action": "consult", "held_on": "2025-03-02", "panel": "财务专家组",
                           "experts": 5})  # fmt: skip
    assert ok.status_code == 302 and found.consultations.count() == 1
    late = client.post(url, {"action": "solicit", "solicited_on": "2999-01-01",
                             "audience": "职工代表", "opinions": 3})  # fmt: skip
    assert "征求日期不能晚于今天" in late.content.decode() and not found.solicitations.exists()


def test_read_only_users_and_other_hospitals_may_not_change_meetings(client, world):
    meeting = meeting_with(world.ha, committee(world.ha, 3), present=3)
    url = reverse("decisions:meeting", args=[meeting.pk])
    client.force_login(world.user(Role.AUDITOR, "A"))
    assert client.get(url).status_code == 200
    denied = client.post(url, {"action": "minutes", "minutes": "纪要"})
    assert denied.status_code == 403 and "没有修改本次会议的权限" in denied.content.decode()
    settings_url = reverse("decisions:settings") + f"?org={world.ha.code}"
    assert client.get(settings_url).status_code == 403
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.post(url, {"action": "minutes", "minutes": "纪要"}).status_code == 404
    assert DecisionMeeting.objects.get().minutes == ""


def test_a_branch_secretary_reads_the_register_of_the_branch_only(client, world):
    add_matters(world, 1)
    client.force_login(make_user("sec-b1", Role.SECRETARY, world.ha_b1))
    hospital = reverse("decisions:register") + f"?org={world.ha.code}"
    assert client.get(hospital).status_code == 404
    own = client.get(reverse("decisions:register") + f"?org={world.ha_b1.code}&year=2025")
    assert own.status_code == 200 and "事项0" not in own.content.decode()
    found = MajorMatter.objects.get()
    assert client.get(reverse("decisions:matter", args=[found.pk])).status_code == 404


def test_settings_let_the_president_office_decide_a_category(client, world):
    client.force_login(world.user(Role.OFFICE, "A"))
    url = reverse("decisions:settings") + f"?org={world.ha.code}"
    refused = client.post(url, {"large_fund_threshold": "300000",
                                "party_committee_categories": ["major_decision"]})  # fmt: skip
    assert "每一类事项都须由党委会或院长办公会之一决定" in refused.content.decode()
    saved = client.post(url, {
        "large_fund_threshold": "300000",
        "party_committee_categories": ["major_decision", "key_appointment", "major_project"],
        "president_office_categories": ["large_fund"],
    })  # fmt: skip
    assert saved.status_code == 302
    current = services.settings_for(world.ha)
    assert current.large_fund_threshold == 300000
    assert current.president_office_categories == ["large_fund"]


def test_export_follows_the_filters_and_is_audited(client, world):
    add_matters(world, 2)
    matter(world.ha, "large_fund", amount="900000", title="CT采购")
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.get(
        reverse("decisions:export") + f"?org={world.ha.code}&year=2025&category=large_fund"
    )
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["CT采购"] and rows[0][8] == "决策会议"
    entry = AuditEntry.objects.filter(action="decisions.export").latest("pk")
    assert entry.summary["category"] == "large_fund"
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.get(reverse("decisions:export") + f"?org={world.ha.code}").status_code == 404


def test_attachment_download_is_audited(client, world):
    meeting = meeting_with(world.ha, committee(world.ha, 3), present=3)
    client.force_login(world.user(Role.OFFICE, "A"))
    url = reverse("decisions:meeting", args=[meeting.pk])
    upload = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    assert client.post(url, {"action": "upload", "file": upload}).status_code == 302
    stored = DecisionAttachment.objects.get()
    response = client.get(reverse("decisions:attachment", args=[stored.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(action="decisions.export", object_id=str(meeting.pk)).exists()


@pytest.mark.parametrize(
    ("name", "expected"), [("register", 14), ("meetings", 10), ("meeting", 12), ("matter", 12)]
)
def test_pinned_query_counts(client, world, name, expected):
    add_matters(world, 3)
    meeting = the_meeting(world)
    for found in MajorMatter.objects.all():
        services.add_agenda_item(meeting, found)
    client.force_login(world.user(Role.OFFICE, "A"))
    url = {
        "register": reverse("decisions:register") + f"?org={world.ha.code}&year=2025",
        "meetings": reverse("decisions:meetings") + f"?org={world.ha.code}",
        "meeting": reverse("decisions:meeting", args=[meeting.pk]),
        "matter": reverse("decisions:matter", args=[MajorMatter.objects.first().pk]),
    }[name]
    client.get(url)
    count, _ = count_queries(client, url)
    assert count == expected


@pytest.mark.parametrize(
    "query",
    ["year=-1", "year=0", "year=99999999999999999999", "year=abc", "page=99999999999999999999"],
)
def test_odd_years_and_pages_answer_the_register_not_a_server_error(client, world, query):
    add_matters(world, 1)
    client.force_login(world.user(Role.OFFICE, "A"))
    response = client.get(reverse("decisions:register") + f"?org={world.ha.code}&{query}")
    assert response.status_code == 200 and "三重一大" in response.content.decode()
