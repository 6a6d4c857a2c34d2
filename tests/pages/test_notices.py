"""Every notices page: renders for hospital A's users, 404 for hospital B's, and a
query count that does not grow with the rows it shows."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian.accounts.models import Role
from dangjian.notices import services
from dangjian.notices.models import Announcement, Dispatch, Webhook
from dangjian.notices.rules import Channel, DispatchState
from tests.factories import make_member, make_member_user

from .scoped import ScopedPageTest

pytestmark = pytest.mark.django_db


def _announce(world, n, **fields):
    office = world.user(Role.OFFICE)
    for i in range(n):
        make_member(world.ha_b1, name=f"甲院党员{Announcement.objects.count()}-{i}")
        data = services.AnnouncementInput(title=f"甲院通知{i}", body="正文", **fields)
        services.publish(world.ha, data, by=office)


def _first(world):
    if not Announcement.objects.exists():
        _announce(world, 1)
    return Announcement.objects.order_by("pk").first()


class TestAnnouncementList(ScopedPageTest):
    expected_text = ("通知公告", "甲院通知0", "发布通知")

    def url(self, world):
        return f"{reverse('notices:list')}?org={world.ha.code}"

    def grow(self, world, n):
        _announce(world, n)


class TestAnnouncementDetail(ScopedPageTest):
    expected_text = ("甲院通知0", "已读", "查看未读人员")

    def url(self, world):
        return reverse("notices:detail", args=[_first(world).pk])

    def grow(self, world, n):
        item = _first(world)
        for i in range(n):
            item.attachments.create(
                file=SimpleUploadedFile(f"a{i}.pdf", b"%PDF"), original_name=f"附件{i}.pdf", size=4
            )


class TestReceipts(ScopedPageTest):
    expected_text = ("阅读情况", "未开通账号")

    def url(self, world):
        return reverse("notices:receipts", args=[_first(world).pk])

    def grow(self, world, n):
        from dangjian.notices.models import Receipt

        item = _first(world)
        for i in range(n):
            Receipt.objects.create(
                announcement=item, person=make_member(world.ha_b2, name=f"未读{i}")
            )


class TestMine(ScopedPageTest):
    viewer_role = Role.MEMBER
    outsider_status = 200
    expected_text = ("通知公告", "甲院通知0")

    def viewer(self, world):
        if not hasattr(world, "reader"):
            world.reader = make_member_user(world.ha_b1, "reader-a").user
        return world.reader

    def url(self, world):
        return reverse("notices:mine")

    def grow(self, world, n):
        self.viewer(world)
        _announce(world, n)

    def private_text(self, world):
        return "甲院通知"


class TestDeliveries(ScopedPageTest):
    expected_text = ("消息投递", "发送失败", "重新发送")

    def url(self, world):
        return f"{reverse('notices:deliveries')}?org={world.ha.code}"

    def grow(self, world, n):
        hook = Webhook.objects.filter(organization=world.ha).first() or Webhook.objects.create(
            organization=world.ha,
            channel=Channel.WECOM,
            name="甲院群",
            url="https://qyapi.weixin.qq.com/x",
        )
        for i in range(n):
            Dispatch.objects.create(
                channel=Channel.WECOM, webhook=hook, organization=world.ha, title=f"提醒{i}",
                state=DispatchState.FAILED, attempts=5, last_error="errcode 45009",
            )  # fmt: skip


class TestRobots(ScopedPageTest):
    expected_text = ("群机器人", "发送测试消息")

    def url(self, world):
        return f"{reverse('notices:robots')}?org={world.ha.code}"

    def grow(self, world, n):
        """A hospital has six places for a robot (three organisations, two platforms)."""
        taken = set(Webhook.objects.values_list("organization_id", "channel"))
        free = [
            (org, channel)
            for org in (world.ha, world.ha_b1, world.ha_b2)
            for channel in (Channel.WECOM, Channel.DINGTALK)
            if (org.pk, channel) not in taken
        ]
        for org, channel in free[:n]:
            Webhook.objects.create(
                organization=org, channel=channel, name=f"{org.name}群",
                url="https://qyapi.weixin.qq.com/x",
            )  # fmt: skip


def test_another_hospitals_user_cannot_retry_or_touch_a_robot(client, world):
    hook = Webhook.objects.create(
        organization=world.ha,
        channel=Channel.WECOM,
        name="甲院群",
        url="https://qyapi.weixin.qq.com/x",
    )
    failed = Dispatch.objects.create(
        channel=Channel.WECOM,
        webhook=hook,
        organization=world.ha,
        title="t",
        state=DispatchState.FAILED,
    )
    _announce(world, 1)
    item = Announcement.objects.get()
    client.force_login(world.user(Role.OFFICE, "B"))
    assert client.post(reverse("notices:retry", args=[failed.pk])).status_code == 404
    assert (
        client.post(
            reverse("notices:robot_action", args=[hook.pk]), {"action": "delete"}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("notices:manage", args=[item.pk]), {"action": "withdraw"}).status_code
        == 404
    )
    assert client.get(reverse("notices:receipts", args=[item.pk])).status_code == 404
    assert Webhook.objects.exists()
    failed.refresh_from_db()
    assert failed.state == DispatchState.FAILED
