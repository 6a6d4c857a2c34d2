import pytest
from django.db import connection
from django.urls import reverse

from dangjian.core import audit
from dangjian.core.models import AuditEntry, Notice
from tests.core.audit_tamper import triggers_lifted

from .scoped import ScopedPageTest

pytestmark = pytest.mark.django_db


def _notify(user, n, **fields):
    return [
        Notice.objects.create(
            recipient=user,
            title=fields.get("title", f"主题党日提醒{i}"),
            body="明天上午9点",
            link=fields.get("link", ""),
        )
        for i in range(n)
    ]


class TestInbox(ScopedPageTest):
    outsider_status = 200
    expected_text = ("消息", "主题党日提醒0", "标为已读")

    def url(self, world):
        return reverse("core:inbox")

    def grow(self, world, n):
        _notify(self.viewer(world), n, link="/orgs/")

    def private_text(self, world):
        return "主题党日提醒"


class TestAuditLog(ScopedPageTest):
    viewer_role = "auditor"
    outsider_status = 200
    expected_text = ("审计日志", "调整所在组织", "甲院调动", "校验哈希链")

    def url(self, world):
        return reverse("audit_log")

    def grow(self, world, n):
        for i in range(n):
            audit.record(
                "person.move",
                actor=self.viewer(world),
                object_type="people.person",
                object_id=str(i),
                org_path=world.ha_b1.path,
                summary={"to": "HA-B2", "reason": "甲院调动"},
            )

    def private_text(self, world):
        return "甲院调动"


def test_unread_count_in_the_nav_and_mark_read(client, world):
    user = world.user("office")
    first, second = _notify(user, 2)
    client.force_login(user)
    page = client.get(reverse("core:inbox")).content.decode()
    assert 'id="nav-unread"' in page and ">2</span>" in page
    response = client.post(reverse("core:mark_read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None
    page = client.get(reverse("dashboard:home")).content.decode()
    assert ">1</span>" in page


def test_mark_read_with_htmx_returns_the_row_and_the_new_badge(client, world):
    user = world.user("office")
    notice, _other = _notify(user, 2)
    client.force_login(user)
    response = client.post(reverse("core:mark_read", args=[notice.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="notice-{notice.pk}"' in body and "标为已读" not in body
    assert 'hx-swap-oob="true"' in body and ">1</span>" in body


def test_mark_read_of_someone_elses_notice_is_404(client, world):
    (notice,) = _notify(world.user("office", "B"), 1)
    client.force_login(world.user("office"))
    assert client.post(reverse("core:mark_read", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.read_at is None


def test_mark_read_needs_post(client, world):
    (notice,) = _notify(world.user("office"), 1)
    client.force_login(world.user("office"))
    assert client.get(reverse("core:mark_read", args=[notice.pk])).status_code == 405


def test_mark_all_read_and_unread_filter(client, world):
    user = world.user("office")
    _notify(user, 3)
    client.force_login(user)
    client.post(reverse("core:mark_all_read"))
    assert not Notice.objects.filter(recipient=user, read_at__isnull=True).exists()
    page = client.get(reverse("core:inbox") + "?unread=1").content.decode()
    assert "暂无消息" in page


def test_notice_links_elsewhere_are_not_rendered(client, world):
    user = world.user("office")
    _notify(user, 1, title="外链", link="https://evil.example/login")
    _notify(user, 1, title="站内", link="/orgs/")
    client.force_login(user)
    page = client.get(reverse("core:inbox")).content.decode()
    assert "evil.example" not in page and 'href="/orgs/"' in page


@pytest.mark.parametrize("role", ["office", "secretary", "guidance", "member"])
def test_audit_log_is_for_auditors_only(client, world, role):
    client.force_login(world.user(role, "CITY" if role == "guidance" else "A"))
    assert client.get(reverse("audit_log")).status_code == 403
    assert client.post(reverse("audit_verify")).status_code == 403


def test_audit_log_shows_own_subtree_and_filters_by_action(client, world):
    audit.record("person.reveal", org_path=world.ha_b1.path, summary={"reason": "核对"})
    audit.record("org.create", org_path=world.ha.path, summary={"code": "HA-B9"})
    audit.record("person.reveal", org_path=world.hb_b1.path, summary={"reason": "外院"})
    client.force_login(world.user("auditor"))
    response = client.get(reverse("audit_log") + "?action=person.")
    actions = [entry.action for entry in response.context["page"]]
    assert actions == ["person.reveal"]
    page = response.content.decode()
    assert "核对" in page and "外院" not in page


def test_audit_log_paginates(client, world):
    for i in range(60):
        audit.record("login", org_path=world.ha.path, summary={"n": i})
    client.force_login(world.user("auditor"))
    response = client.get(reverse("audit_log"))
    assert len(response.context["page"].object_list) == 50
    assert "第 1 / 2 页" in response.content.decode()


def test_verify_chain_reports_intact_and_broken_chains(client, world):
    entry = audit.record("org.create", org_path=world.ha.path, summary={"code": "X"})
    audit.record("org.create", org_path=world.ha.path, summary={"code": "Y"})
    client.force_login(world.user("auditor"))
    page = client.post(reverse("audit_verify"), follow=True).content.decode()
    assert "审计日志哈希链完整" in page
    # Tampering as the database's owner: the refusing triggers lifted, a queryset update.
    with triggers_lifted(connection):
        AuditEntry.objects.filter(pk=entry.pk).update(summary={"code": "Z"})
    page = client.post(reverse("audit_verify"), follow=True).content.decode()
    assert "哈希链在第" in page and "记录被篡改" in page
