import pytest

from dangjian.accounts.models import Role
from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization
from dangjian.people.models import Person
from tests.factories import make_member, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(two_hospitals):
    guidance, (ha, ha_b1, ha_b2), (hb, hb_b1, _) = two_hospitals
    people = {
        "a1": make_member(ha_b1, name="甲一"),
        "a2": make_member(ha_b2, name="甲二"),
        "b1": make_member(hb_b1, name="乙一"),
    }
    return guidance, ha, ha_b1, hb, people


def test_office_sees_its_hospital_only(world):
    guidance, ha, _, hb, people = world
    user = make_user("office_a", Role.OFFICE, ha)
    assert set(Person.objects.visible_to(user)) == {people["a1"], people["a2"]}
    codes = set(Organization.objects.visible_to(user).values_list("code", flat=True))
    assert codes == {"HA", "HA-B1", "HA-B2"}
    scope = scope_for(user)
    assert scope.can_write(ha) and not scope.can_write(hb) and scope.can_reveal(ha)


def test_secretary_sees_and_writes_own_branch(world):
    _, ha, ha_b1, _, people = world
    user = make_user("sec", Role.SECRETARY, ha_b1)
    assert list(Person.objects.visible_to(user)) == [people["a1"]]
    scope = scope_for(user)
    assert scope.can_write(ha_b1) and not scope.can_write(ha) and not scope.can_reveal(ha_b1)


def test_guidance_reads_every_hospital_but_writes_nothing(world):
    guidance, ha, _, hb, people = world
    user = make_user("city", Role.GUIDANCE, guidance)
    assert Person.objects.visible_to(user).count() == 3
    scope = scope_for(user)
    assert not scope.can_write(ha) and not scope.can_write(hb) and not scope.can_reveal(ha)


def test_member_sees_only_self(world):
    _, _, ha_b1, _, people = world
    user = make_user("m", Role.MEMBER, ha_b1)
    people["a1"].user = user
    people["a1"].save()
    assert list(Person.objects.visible_to(user)) == [people["a1"]]
    assert not scope_for(user).can_write(ha_b1)


def test_auditor_reads_records_and_the_audit_log_only(world):
    _, ha, _, _, _ = world
    user = make_user("aud", Role.AUDITOR, ha)
    scope = scope_for(user)
    assert Person.objects.visible_to(user).count() == 2
    assert scope.audit_paths == [ha.path] and not scope.can_write(ha)


def test_user_without_grants_sees_nothing(world):
    user = make_user("nobody")
    assert not Person.objects.visible_to(user).exists()
    assert not Organization.objects.visible_to(user).exists()


def test_several_grants_combine(world):
    _, ha, _, hb, _ = world
    user = make_user("both", Role.SECRETARY, ha)
    from dangjian.accounts.models import RoleGrant

    RoleGrant.objects.create(user=user, role=Role.AUDITOR, organization=hb)
    assert Person.objects.visible_to(user).count() == 3
    scope = scope_for(user)
    assert scope.can_write(ha) and not scope.can_write(hb)
