"""Notices beyond the inbox, against local stand-ins: e-mail through a real SMTP
conversation, 企业微信 / 钉钉 group robots over HTTP; each user's choice; retries and the
failures the office sees."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from werkzeug import Response

from dangjian.core.models import Notice
from dangjian.core.services import send_notice
from dangjian.notices import delivery, rules, services
from dangjian.notices.models import ChannelPreference, Dispatch, Webhook
from dangjian.notices.rules import Channel, DispatchState
from tests.factories import make_member_user

pytestmark = pytest.mark.django_db


def choose(user, **channels):
    fields = {"email": False, "wecom": False, "dingtalk": False, **channels}
    return ChannelPreference.objects.create(user=user, **fields)


def robot(org, channel, url, **extra):
    return Webhook.objects.create(
        organization=org, channel=channel, name=f"{org.name}群", url=url, **extra
    )


def send(users, kind="meeting_reminder_eve", title="明天开会", body="14:30 三楼会议室"):
    return send_notice(users, title, body, link="/meetings/1/", kind=kind)


@pytest.fixture
def members(two_hospitals):
    _guidance, (ha, ha_b1, _ha_b2), _b = two_hospitals
    people = [make_member_user(ha_b1, f"m{i}", name=f"成员{i}") for i in range(3)]
    return ha, ha_b1, [p.user for p in people]


# ---- e-mail ----------------------------------------------------------------------------
def test_email_reaches_the_smtp_server(
    members, smtp_server, robot_hosts, django_capture_on_commit_callbacks
):
    _ha, _b1, users = members
    users[0].email = "m0@example.cn"
    users[0].save()
    choose(users[0], email=True)
    with django_capture_on_commit_callbacks(execute=True):
        send(users)
    assert len(smtp_server.messages) == 1
    envelope = smtp_server.messages[0]
    assert envelope.rcpt_tos == ["m0@example.cn"]
    text = envelope.content.decode()
    assert "https://dj.example.cn/meetings/1/" in text
    sent = Dispatch.objects.get()
    assert (sent.state, sent.attempts, sent.channel) == (DispatchState.SENT, 1, Channel.EMAIL)


def test_nobody_who_kept_the_inbox_only_gets_anything_else(
    members, django_capture_on_commit_callbacks
):
    _ha, _b1, users = members
    choose(users[1])  # a saved choice with every channel off
    with django_capture_on_commit_callbacks(execute=True):
        assert send(users) == 3
    assert Notice.objects.count() == 3
    assert not Dispatch.objects.exists()


def test_email_chosen_without_an_address_plans_nothing(members, django_capture_on_commit_callbacks):
    _ha, _b1, users = members
    choose(users[0], email=True)
    with django_capture_on_commit_callbacks(execute=True):
        send(users)
    assert not Dispatch.objects.exists()


def test_a_refused_smtp_connection_is_retried_later(
    members, settings, django_capture_on_commit_callbacks
):
    _ha, _b1, users = members
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    users[0].email = "m0@example.cn"
    users[0].save()
    choose(users[0], email=True)
    with django_capture_on_commit_callbacks(execute=True):
        send(users)
    failed = Dispatch.objects.get()
    assert failed.state == DispatchState.PENDING
    assert failed.attempts == 1
    assert failed.last_error
    assert failed.next_attempt_at > timezone.now()


# ---- group robots ----------------------------------------------------------------------
def test_one_wecom_post_mentions_everyone_in_the_group(
    members, httpserver, robot_hosts, django_capture_on_commit_callbacks
):
    _ha, b1, users = members
    httpserver.expect_request("/wecom", method="POST").respond_with_json(
        {"errcode": 0, "errmsg": "ok"}
    )
    robot(b1, Channel.WECOM, httpserver.url_for("/wecom"))
    choose(users[0], wecom=True, wecom_userid="cy0")
    choose(users[1], wecom=True, wecom_userid="cy1")
    choose(users[2], wecom=True)  # in the group, no userid: counted, not mentioned
    with django_capture_on_commit_callbacks(execute=True):
        send(users)
    assert len(httpserver.log) == 1
    request, _response = httpserver.log[0]
    payload = json.loads(request.data)
    assert payload["msgtype"] == "text"
    assert payload["text"]["mentioned_list"] == ["cy0", "cy1"]
    assert "【明天开会】" in payload["text"]["content"]
    post = Dispatch.objects.get()
    assert (post.state, post.recipients_count) == (DispatchState.SENT, 3)


def test_dingtalk_post_is_signed(
    members, httpserver, robot_hosts, django_capture_on_commit_callbacks
):
    _ha, b1, users = members
    httpserver.expect_request("/ding", method="POST").respond_with_json({"errcode": 0})
    robot(b1, Channel.DINGTALK, httpserver.url_for("/ding") + "?access_token=T", secret="SEC")
    choose(users[0], dingtalk=True, dingtalk_userid="d0")
    with django_capture_on_commit_callbacks(execute=True):
        send(users[:1])
    request, _response = httpserver.log[0]
    assert request.args["access_token"] == "T"
    assert request.args["sign"] and request.args["timestamp"].isdigit()
    assert json.loads(request.data)["at"] == {"atUserIds": ["d0"]}


def test_the_branch_group_is_preferred_to_the_hospital_group(
    members, httpserver, robot_hosts, django_capture_on_commit_callbacks
):
    ha, b1, users = members
    httpserver.expect_request("/branch").respond_with_json({"errcode": 0})
    httpserver.expect_request("/hospital").respond_with_json({"errcode": 0})
    robot(ha, Channel.WECOM, httpserver.url_for("/hospital"))
    robot(b1, Channel.WECOM, httpserver.url_for("/branch"))
    choose(users[0], wecom=True)
    with django_capture_on_commit_callbacks(execute=True):
        send(users)
    assert [request.path for request, _ in httpserver.log] == ["/branch"]


def test_personal_matters_never_go_to_a_group(
    members, httpserver, robot_hosts, django_capture_on_commit_callbacks
):
    _ha, b1, users = members
    robot(b1, Channel.WECOM, httpserver.url_for("/wecom"))
    choose(users[0], wecom=True)
    with django_capture_on_commit_callbacks(execute=True):
        send(users, kind="dues_arrears", title="您已欠交党费 3 个月")
    assert not Dispatch.objects.exists()
    assert httpserver.log == []


def test_a_rejected_post_retries_then_fails_and_the_office_can_resend(
    members, httpserver, robot_hosts, django_capture_on_commit_callbacks
):
    _ha, b1, users = members
    httpserver.expect_request("/wecom").respond_with_json(
        {"errcode": 45009, "errmsg": "api freq out of limit"}
    )
    robot(b1, Channel.WECOM, httpserver.url_for("/wecom"))
    choose(users[0], wecom=True)
    with django_capture_on_commit_callbacks(execute=True):
        send(users[:1])
    post = Dispatch.objects.get()
    assert post.state == DispatchState.PENDING and "45009" in post.last_error
    # Not due yet: the sweep leaves it alone.
    assert delivery.deliver_due() == 0
    assert Dispatch.objects.get().attempts == 1
    for _ in range(rules.MAX_ATTEMPTS - 1):
        Dispatch.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
        delivery.deliver_due()
    post.refresh_from_db()
    assert (post.state, post.attempts) == (DispatchState.FAILED, rules.MAX_ATTEMPTS)
    assert post.next_attempt_at is None

    httpserver.clear()
    httpserver.expect_request("/wecom").respond_with_json({"errcode": 0})
    services.retry(post, by=None)
    assert delivery.deliver(post.pk)
    post.refresh_from_db()
    assert post.state == DispatchState.SENT


def test_a_server_error_counts_as_a_failure(
    members, httpserver, robot_hosts, django_capture_on_commit_callbacks
):
    _ha, b1, users = members
    httpserver.expect_request("/wecom").respond_with_response(Response("busy", status=503))
    robot(b1, Channel.WECOM, httpserver.url_for("/wecom"))
    choose(users[0], wecom=True)
    with django_capture_on_commit_callbacks(execute=True):
        send(users[:1])
    assert Dispatch.objects.get().last_error == "HTTP 503"


def test_a_claimed_delivery_is_not_sent_twice(members, robot_hosts):
    _ha, b1, users = members
    hook = robot(b1, Channel.WECOM, "http://127.0.0.1:9/none")
    post = Dispatch.objects.create(channel=Channel.WECOM, webhook=hook, title="t")
    Dispatch.objects.filter(pk=post.pk).update(next_attempt_at=timezone.now() + rules.CLAIM_LEASE)
    assert delivery.deliver(post.pk) is False
    assert Dispatch.objects.get().attempts == 0


def test_a_robot_whose_host_is_no_longer_allowed_is_not_called(members, httpserver, settings):
    _ha, b1, users = members
    settings.DANGJIAN_WEBHOOK_HOSTS = ["qyapi.weixin.qq.com"]
    hook = robot(b1, Channel.WECOM, httpserver.url_for("/wecom"))
    post = Dispatch.objects.create(channel=Channel.WECOM, webhook=hook, title="t")
    assert delivery.deliver(post.pk) is False
    assert "只接受" in Dispatch.objects.get().last_error
    assert httpserver.log == []


def test_planning_costs_the_same_for_three_or_thirty_recipients(two_hospitals, robot_hosts):
    _g, (_ha, b1, b2), _b = two_hospitals
    robot(b1, Channel.WECOM, "http://localhost:9/w")

    def planned(n, org, prefix):
        users = []
        for i in range(n):
            user = make_member_user(org, f"{prefix}{i}").user
            user.email = f"{prefix}{i}@example.cn"
            user.save()
            choose(user, email=True, wecom=True)
            users.append(user)
        with CaptureQueriesContext(connection) as ctx:
            send(users)
        return len(ctx.captured_queries)

    assert planned(3, b1, "a") == planned(30, b2, "b")


def test_the_robot_address_is_encrypted_at_rest(members):
    _ha, b1, _users = members
    hook = robot(
        b1, Channel.WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT url FROM notices_webhook WHERE id = %s", [hook.pk])
        stored = cursor.fetchone()[0]
    assert "SECRETKEY" not in stored
    assert Webhook.objects.get().url.endswith("SECRETKEY")
