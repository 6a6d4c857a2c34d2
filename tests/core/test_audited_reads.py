"""Every read of a person's data leaves one audit entry per request, list reads included,
where the hospital's auditor sees it (PIPL; issue 14: API reads, the member list, a
member's study and payment pages and a reduction application left none)."""

import pytest
from django.urls import reverse

from dangjian.accounts.models import Role
from dangjian.accounts.scope import scope_for
from dangjian.core.models import AuditEntry
from tests.factories import api_auth, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(world):
    person = make_member(world.ha_b1, name="读取测试")
    person.user = world.user(Role.MEMBER, "A")
    person.save(update_fields=["user"])
    return person


def entries(action):
    return list(AuditEntry.objects.filter(action=action))


def seen_by_the_auditor(world, entry) -> bool:
    auditor = world.user(Role.AUDITOR, "A")
    return scope_for(auditor).filter_audit(AuditEntry.objects.filter(pk=entry.pk)).exists()


@pytest.mark.parametrize(
    ("url", "action"),
    [
        ("/api/v1/members", "api.members.list"),
        ("/api/v1/members?org=HA-B1", "api.members.list"),
        ("/api/v1/members/{pk}", "api.member.view"),
        ("/api/v1/dues/bills", "api.dues.bills"),
        ("/api/v1/dues/arrears", "api.dues.arrears"),
        ("/api/v1/study", "api.study.list"),
    ],
)
def test_api_reads_are_audited_once_per_request(client, world, member, url, action):
    headers = api_auth(client, world.user(Role.OFFICE, "A"))
    assert client.get(url.format(pk=member.pk), **headers).status_code == 200
    (entry,) = entries(action)
    assert entry.actor_id == world.user(Role.OFFICE, "A").pk
    assert seen_by_the_auditor(world, entry)


@pytest.mark.parametrize(
    ("name", "args", "query", "action"),
    [
        ("people:list", [], "", "person.list"),
        ("meetings:study", [], "?org=HA", "study.list"),
        ("meetings:study_record", ["pk"], "", "study.person"),
        ("dues:pay", ["pk"], "", "dues.person"),
        ("dues:reduction_new", ["pk"], "", "dues.reduction_view"),
    ],
)
def test_pages_with_a_persons_data_are_audited(client, world, member, name, args, query, action):
    client.force_login(world.user(Role.OFFICE, "A"))
    url = reverse(name, args=[member.pk for _ in args]) + query
    assert client.get(url).status_code == 200
    (entry,) = entries(action)
    assert seen_by_the_auditor(world, entry)


@pytest.mark.parametrize(("name", "action"), [("meetings:my_study", "study.mine"),
                                              ("dues:mine", "dues.mine")])  # fmt: skip
def test_a_members_own_pages_are_audited(client, world, member, name, action):
    client.force_login(member.user)
    assert client.get(reverse(name)).status_code == 200
    (entry,) = entries(action)
    assert entry.object_id == str(member.pk) and seen_by_the_auditor(world, entry)
