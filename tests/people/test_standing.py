"""党籍 changes (people.standing): leaving, suspension and restoration, death, and the
revocation of a mistaken entry by a reverse change; the member counts follow the dates,
history is never deleted, and refusals change nothing (issue 16)."""

import datetime as dt

import pytest
from django.urls import reverse

from dangjian.core.models import AuditEntry
from dangjian.orgs.models import CommitteePost
from dangjian.people.models import Membership, StandingChange, Status, StatusPeriod
from dangjian.people.queries import member_figures
from dangjian.people.services import PeopleError
from dangjian.people.standing import change_standing, revoke_standing_change
from tests.factories import add_seat, make_member

pytestmark = pytest.mark.django_db
C = StandingChange
D = dt.date


def _history(person) -> list[tuple]:
    return list(
        StatusPeriod.objects.filter(person=person)
        .order_by("started_on", "id")
        .values_list("status", "started_on", "ended_on", "change")
    )


def _members(org, day) -> int:
    return member_figures(org.path, day)["total"]


@pytest.mark.parametrize("change", [C.LAPSED, C.STRUCK_OFF, C.EXPELLED, C.WITHDREW, C.DIED])
def test_leaving_or_death_ends_status_relation_and_posts_on_the_day(world, change):
    person = make_member(world.ha_b1)
    add_seat(world.ha_b1, person, CommitteePost.ORGANIZATION)
    before = _members(world.ha, D(2025, 3, 1))
    change_standing(person, change, D(2025, 3, 1), note="支部党员大会决议")
    target = Status.DECEASED if change == C.DIED else Status.LEFT
    assert _history(person) == [
        (Status.FULL, D(2010, 7, 1), D(2025, 3, 1), ""),
        (target, D(2025, 3, 1), None, change),
    ]
    assert Membership.objects.get(person=person).ended_on == D(2025, 3, 1)
    assert person.seats.get().ended_on == D(2025, 3, 1)
    assert _members(world.ha, D(2025, 2, 28)) == before  # still a member the day before
    assert _members(world.ha, D(2025, 3, 1)) == before - 1
    entry = AuditEntry.objects.get(action="person.standing", object_id=str(person.pk))
    assert entry.summary["change"] == change and entry.summary["to"] == target


def test_suspension_keeps_the_relation_and_restoration_returns_the_standing_before(world):
    person = make_member(world.ha_b1)
    change_standing(person, C.SUSPENDED, D(2024, 6, 1))
    assert Membership.objects.get(person=person).ended_on is None
    assert _members(world.ha, D(2024, 6, 1)) == _members(world.ha, D(2024, 5, 31)) - 1
    change_standing(person, C.RESTORED, D(2025, 1, 10), note="恢复党籍批复")
    assert [row[0] for row in _history(person)] == [Status.FULL, Status.SUSPENDED, Status.FULL]
    assert _history(person)[-1][3] == C.RESTORED


@pytest.mark.parametrize(
    ("status", "change", "message"),
    [
        (Status.PROBATIONARY, C.SUSPENDED, "取消预备党员资格"),
        (Status.FULL, C.RESTORED, "只有停止党籍的党员"),
        (Status.ACTIVIST, C.EXPELLED, "只有党员"),
        (Status.LEFT, C.DIED, "当前政治面貌为已出党"),
    ],
)
def test_a_change_the_standing_does_not_allow_is_refused_and_changes_nothing(
    world, status, change, message
):
    person = make_member(world.ha_b1, status=status)
    history = _history(person)
    with pytest.raises(PeopleError, match=message):
        change_standing(person, change, D(2025, 3, 1))
    assert _history(person) == history
    assert not AuditEntry.objects.filter(action="person.standing").exists()


def test_dates_before_the_current_standing_or_after_today_are_refused(world):
    person = make_member(world.ha_b1, since=D(2020, 1, 1))
    with pytest.raises(PeopleError, match="须晚于当前政治面貌的开始日期 2020-01-01"):
        change_standing(person, C.WITHDREW, D(2020, 1, 1))
    with pytest.raises(PeopleError, match="不能晚于今天"):
        change_standing(person, C.WITHDREW, D(2099, 1, 1))
    assert len(_history(person)) == 1


def test_a_mistaken_entry_is_revoked_by_a_reverse_change_that_deletes_nothing(world):
    person = make_member(world.ha_b1)
    count = _members(world.ha, D(2025, 6, 1))
    change_standing(person, C.EXPELLED, D(2025, 3, 1))
    with pytest.raises(PeopleError, match="撤销原因"):
        revoke_standing_change(person, reason=" ")
    revoke_standing_change(person, reason="误选了人员")
    assert _history(person) == [
        (Status.FULL, D(2010, 7, 1), D(2025, 3, 1), ""),
        (Status.LEFT, D(2025, 3, 1), D(2025, 3, 1), C.EXPELLED),  # never in effect
        (Status.FULL, D(2025, 3, 1), None, C.REVOKED),
    ]
    relations = Membership.objects.filter(person=person).order_by("started_on", "id")
    assert [(m.ended_on, m.end_reason) for m in relations] == [
        (D(2025, 3, 1), "standing"),
        (None, ""),
    ]
    assert _members(world.ha, D(2025, 6, 1)) == count  # counted every day again
    with pytest.raises(PeopleError, match="没有可撤销"):
        revoke_standing_change(person, reason="再撤一次")


class TestStandingPages:
    def test_the_office_confirms_then_records_and_sees_the_history(self, client, world):
        person = make_member(world.ha_b1)
        client.force_login(world.user("office"))
        url = reverse("people:standing", args=[person.pk])
        form = client.get(url).content.decode()
        assert "自行脱党" in form and "恢复党籍" not in form  # only what the standing allows
        data = {"change": C.WITHDREW, "on": "2025-03-01", "note": "本人申请"}
        confirm = client.post(url, data)
        page = confirm.content.decode()
        assert "确认为" in page and "组织关系同日终止" in page
        assert len(_history(person)) == 1  # nothing recorded before the confirmation
        done = client.post(url, {**data, "confirm": "1"})
        assert done.status_code == 302 and done.url == reverse("people:detail", args=[person.pk])
        assert _history(person)[-1][:2] == (Status.LEFT, D(2025, 3, 1))
        detail = client.get(done.url).content.decode()
        assert "退党" in detail and "撤销误录" in detail

    def test_a_refusal_is_shown_in_chinese_and_records_nothing(self, client, world):
        person = make_member(world.ha_b1, since=D(2020, 1, 1))
        client.force_login(world.user("office"))
        url = reverse("people:standing", args=[person.pk])
        data = {"change": C.WITHDREW, "on": "2019-01-01", "confirm": "1"}
        page = client.post(url, data).content.decode()
        assert "须晚于当前政治面貌的开始日期" in page and len(_history(person)) == 1

    def test_revoke_from_the_member_page(self, client, world):
        person = make_member(world.ha_b1)
        change_standing(person, C.DIED, D(2025, 3, 1))
        client.force_login(world.user("office"))
        url = reverse("people:revoke", args=[person.pk])
        assert client.post(url, {"reason": "误录"}).status_code == 302
        assert _history(person)[-1][0] == Status.FULL

    def test_a_secretary_reads_but_may_not_change_standing(self, client, world):
        person = make_member(world.ha_b1)
        client.force_login(world.user("secretary"))
        assert client.get(reverse("people:standing", args=[person.pk])).status_code == 403
        detail = client.get(reverse("people:detail", args=[person.pk])).content.decode()
        assert "登记党籍变动" not in detail

    def test_another_hospitals_office_gets_404(self, client, world):
        person = make_member(world.ha_b1)
        client.force_login(world.user("office", "B"))
        for name in ("people:standing", "people:revoke"):
            url = reverse(name, args=[person.pk])
            response = client.post(url, {"change": C.WITHDREW, "on": "2025-03-01",
                                         "reason": "x", "confirm": "1"})  # fmt: skip
            assert response.status_code == 404
        assert len(_history(person)) == 1
