"""The office's election pages (issue 16): the form with its candidate rows, the
confirmation step, the record on the organisation page, the term extension; a secretary
gets 403 and another hospital's office 404."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.orgs.elections import hold_election
from dangjian.orgs.models import CommitteePost, CommitteeSeat, CommitteeTerm, Election
from dangjian.people.models import Status
from tests.factories import add_seat, add_term, make_member
from tests.pages.scoped import ScopedPageTest
from tests.pages.world import add_members

pytestmark = pytest.mark.django_db
D = dt.date
P = CommitteePost


def election_data(rows, **figures):
    """A POST of the election form: the meeting's figures and candidate rows, with two
    empty rows left as they came."""
    data = {
        "held_on": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "term_years": "3", "entitled": "10", "present": "9", "ballots_issued": "9",
        "ballots_returned": "9", "note": "党员大会",
        "form-TOTAL_FORMS": str(len(rows) + 2), "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "60",
    }  # fmt: skip
    data.update({k: str(v) for k, v in figures.items()})
    for i, (person, post, votes) in enumerate(rows):
        data.update({f"form-{i}-person": person.pk, f"form-{i}-post": post,
                     f"form-{i}-votes": str(votes)})  # fmt: skip
    for i in range(len(rows), len(rows) + 2):
        data.update({f"form-{i}-person": "", f"form-{i}-post": "", f"form-{i}-votes": ""})
    return data


@pytest.fixture
def standing(world):
    """HA's sitting secretary and three members of its branches standing."""
    add_term(world.ha, D(2022, 1, 10))
    old = make_member(world.ha_b1, name="旧书记")
    add_seat(world.ha, old, P.SECRETARY, D(2022, 1, 10))
    rows = [
        (make_member(world.ha_b1, name="甲书记"), P.SECRETARY, 9),
        (make_member(world.ha_b2, name="乙副书记"), P.DEPUTY_SECRETARY, 7),
        (make_member(world.ha_b2, name="丙落选"), P.MEMBER, 5),
    ]
    return rows


def test_the_office_records_an_election_in_two_steps(client, world, standing):
    client.force_login(world.user("office"))
    page = reverse("orgs:detail", args=[world.ha.code])
    url = reverse("orgs:election", args=[world.ha.code])
    assert url in client.get(page).content.decode()  # the 换届选举 button
    form = client.get(url).content.decode()
    assert "甲书记" in form and "选举大会" in form and "候选人及得票" in form

    confirm = client.post(url, election_data(standing))
    text = confirm.content.decode()
    assert confirm.status_code == 200 and "确认登记" in text
    assert "至少 9 人" in text and "至少 6 票" in text and "收回不得多于发出" in text
    assert text.count(">当选<") == 2 and text.count(">未当选<") == 1
    assert "现任委员 1 人" in text and "旧书记" in text
    assert not Election.objects.exists()  # nothing before the confirmation

    done = client.post(url, {**election_data(standing), "confirm": "1"})
    assert done.status_code == 302 and done.url == page
    election = Election.objects.get()
    assert election.recorded_by == world.user("office") and election.note == "党员大会"
    seats = CommitteeSeat.objects.filter(organization=world.ha, ended_on__isnull=True)
    assert {s.person.name for s in seats} == {"甲书记", "乙副书记"}
    detail = client.get(page).content.decode()
    assert "已登记换届选举，当选：甲书记、乙副书记" in detail
    assert "历次换届选举" in detail and "未当选 丙落选（5 票）" in detail
    assert "甲书记（书记，9 票）" in detail
    assert election.term.started_on.strftime("%Y-%m-%d") in detail


def test_a_refused_election_shows_why_on_the_form_and_records_nothing(client, world, standing):
    client.force_login(world.user("office"))
    url = reverse("orgs:election", args=[world.ha.code])
    data = {**election_data(standing, present=8, ballots_issued=8, ballots_returned=8),
            "confirm": "1"}  # fmt: skip
    page = client.post(url, data).content.decode()
    assert "未超过应到会 10 人的五分之四" in page and "未保存" in page
    assert "确认登记" not in page  # back on the form, not the confirmation
    assert not Election.objects.exists()
    assert CommitteeSeat.objects.get(person__name="旧书记").ended_on is None


def test_going_back_to_edit_keeps_what_was_entered(client, world, standing):
    client.force_login(world.user("office"))
    url = reverse("orgs:election", args=[world.ha.code])
    page = client.post(url, {**election_data(standing), "edit": "1"}).content.decode()
    assert "下一步：确认" in page and 'value="党员大会"' not in page  # a textarea
    assert "党员大会</textarea>" in page and 'name="entitled" value="10"' in page
    assert not Election.objects.exists()


def test_more_rows_are_added_without_complaining_about_empty_fields(client, world, standing):
    client.force_login(world.user("office"))
    url = reverse("orgs:election", args=[world.ha.code])
    data = {**election_data(standing[:1], entitled=""), "more": "1"}
    page = client.post(url, data).content.decode()
    assert 'name="form-TOTAL_FORMS" value="6"' in page  # 1 + 2 rows, 3 more
    assert "这个字段是必填项" not in page and "未保存" not in page


def test_the_picker_offers_only_full_members_of_the_subtree(client, world, standing):
    make_member(world.ha_b1, name="预备某", status=Status.PROBATIONARY)
    make_member(world.hb_b1, name="外院某")
    client.force_login(world.user("office"))
    page = client.get(reverse("orgs:election", args=[world.ha.code])).content.decode()
    assert "甲书记" in page and "预备某" not in page and "外院某" not in page
    assert 'label="HA心内科党支部"' in page  # grouped by branch
    outsider = make_member(world.hb_b1, name="外院乙")
    data = election_data([*standing, (outsider, P.MEMBER, 9)])
    page = client.post(reverse("orgs:election", args=[world.ha.code]), data)
    assert "选择一个有效的选项" in page.content.decode()


def test_a_secretary_gets_403_and_another_hospitals_office_404(client, world, standing):
    url = reverse("orgs:election", args=[world.ha.code])
    extend = reverse("orgs:extend_term", args=[world.ha.code])
    data = {**election_data(standing), "confirm": "1"}
    client.force_login(world.user("secretary"))
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    assert client.post(extend, {"until": "2025-06-01", "approval": "批复"}).status_code == 403
    client.force_login(world.user("office", "B"))
    assert client.post(url, data).status_code == 404
    assert client.post(extend, {"until": "2025-06-01", "approval": "批复"}).status_code == 404
    assert not Election.objects.exists()
    assert CommitteeTerm.objects.get(organization=world.ha).extended_to is None


def test_the_office_extends_the_term_from_the_organisation_page(client, world, standing):
    client.force_login(world.user("office"))
    page = reverse("orgs:detail", args=[world.ha.code])
    extend = reverse("orgs:extend_term", args=[world.ha.code])
    assert extend in client.get(page).content.decode()
    refused = client.post(extend, {"until": "2026-06-01", "approval": "批复"})
    assert refused.status_code == 200 and "最晚 2026-01-10" in refused.content.decode()
    done = client.post(extend, {"until": "2025-12-31", "approval": "市卫健委党委〔2024〕12号"})
    assert done.status_code == 302 and done.url == page
    detail = client.get(page).content.decode()
    assert "经批准延期至 2025-12-31（市卫健委党委〔2024〕12号）" in detail
    assert "换届日期" in detail and "2025-12-31" in detail


def test_without_a_term_there_is_nothing_to_extend(client, world):
    client.force_login(world.user("office"))
    page = client.get(reverse("orgs:detail", args=[world.ha_b1.code])).content.decode()
    assert reverse("orgs:extend_term", args=[world.ha_b1.code]) not in page
    response = client.get(reverse("orgs:extend_term", args=[world.ha_b1.code]), follow=True)
    assert "尚未登记届次" in response.content.decode()


def test_a_secretary_sees_the_elections_but_no_buttons(client, world, standing):
    hold_election(world.ha, D(2025, 6, 1), 10, 9, 9, 9, 3, standing)
    client.force_login(world.user("secretary"))
    page = client.get(reverse("orgs:detail", args=[world.ha.code])).content.decode()
    assert "甲书记（书记，9 票）" in page
    assert reverse("orgs:election", args=[world.ha.code]) not in page
    assert reverse("orgs:extend_term", args=[world.ha.code]) not in page


# ---- the inherited suite: renders, 404 for another hospital, fixed query count -----------
class TestElectionForm(ScopedPageTest):
    expected_text = ("换届选举", "候选人及得票", "HA心内科党支部")

    def url(self, world):
        return reverse("orgs:election", args=[world.ha.code])

    def grow(self, world, n):
        add_members(world.ha_b1, n)
        add_members(world.ha_b2, n)


class TestExtensionForm(ScopedPageTest):
    expected_text = ("延期换届", "批准文件")

    def url(self, world):
        return reverse("orgs:extend_term", args=[world.ha.code])

    def grow(self, world, n):
        first = CommitteeTerm.objects.filter(organization=world.ha).order_by("started_on").first()
        start = first.started_on if first else D(2025, 1, 1)
        for i in range(1, n + 1):
            add_term(world.ha, D(start.year - 3 * i, 1, 1))


class TestOrgPageWithElections(ScopedPageTest):
    expected_text = ("历次换届选举", "当选")

    def url(self, world):
        return reverse("orgs:detail", args=[world.ha.code])

    def grow(self, world, n):
        """n more past elections (rows as an election writes them), three candidates each."""
        for _ in range(n):
            day = D(2000 + Election.objects.count() * 3, 1, 10)
            term = add_term(world.ha, day)
            election = Election.objects.create(
                organization=world.ha, term=term, held_on=day, entitled=10, present=9,
                ballots_issued=9, ballots_returned=9, term_years=3,
            )  # fmt: skip
            for i, person in enumerate(add_members(world.ha_b1, 3)):
                election.candidates.create(person=person, post=P.MEMBER, votes_for=4 + i,
                                           elected=i > 0)  # fmt: skip


def test_the_office_revokes_an_election_from_the_organisation_page(client, world):
    people = [make_member(world.ha_b1) for _ in range(3)]
    election = hold_election(
        world.ha, dt.date(2025, 6, 1), 3, 3, 3, 3, 3,
        [(people[0], CommitteePost.SECRETARY, 3), (people[1], CommitteePost.MEMBER, 3)],
    )  # fmt: skip
    url = reverse("orgs:revoke_election", args=[world.ha.code, election.pk])
    client.force_login(world.user("office", "B"))
    assert client.post(url, {"reason": "录错"}).status_code == 404
    client.force_login(world.user("secretary"))
    assert client.post(url, {"reason": "录错"}).status_code in (403, 404)
    client.force_login(world.user("office"))
    page = client.get(reverse("orgs:detail", args=[world.ha.code])).content.decode()
    assert url in page
    client.post(url, {"reason": "录错"})
    assert Election.objects.get(pk=election.pk).revoked_on is not None
    page = client.get(reverse("orgs:detail", args=[world.ha.code])).content.decode()
    assert "撤销误录：录错" in page and url not in page
