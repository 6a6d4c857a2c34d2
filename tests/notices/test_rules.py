"""The channels' pure rules: retry timing, what may go to a group, webhook addresses and
the robots' message bodies."""

import base64
import datetime as dt
import hashlib
import hmac
import urllib.parse

import pytest

from dangjian.notices import rules

NOW = dt.datetime(2026, 12, 4, 9, 0, tzinfo=dt.UTC)
HOSTS = ("qyapi.weixin.qq.com", "oapi.dingtalk.com", "127.0.0.1")


@pytest.mark.parametrize(
    ("attempts", "wait"),
    [(1, dt.timedelta(minutes=1)), (2, dt.timedelta(minutes=5)), (4, dt.timedelta(hours=2))],
)
def test_failed_attempts_wait_longer_each_time(attempts, wait):
    assert rules.next_attempt(attempts, NOW) == NOW + wait


def test_attempts_are_spent_after_the_last_wait():
    assert rules.next_attempt(rules.MAX_ATTEMPTS, NOW) is None
    assert rules.next_attempt(rules.MAX_ATTEMPTS - 1, NOW) is not None


@pytest.mark.parametrize(
    ("kind", "safe"),
    [
        ("announcement", True),
        ("meeting_reminder_eve", True),
        ("dues_arrears", False),
        ("political_birthday", False),
        ("", False),
    ],
)
def test_only_group_matters_go_to_a_group_chat(kind, safe):
    assert rules.group_safe(kind) is safe


@pytest.mark.parametrize(
    ("url", "refused_because"),
    [
        ("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", ""),
        ("https://oapi.dingtalk.com/robot/send?access_token=abc", ""),
        ("http://127.0.0.1:8123/hook", ""),
        ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc", "https"),
        ("https://10.0.0.5/internal", "只接受"),
        ("https://qyapi.weixin.qq.com.evil.cn/x", "只接受"),
        ("ftp://qyapi.weixin.qq.com/x", "https://"),
        ("qyapi.weixin.qq.com/x", "https://"),
        ("https://user:pw@qyapi.weixin.qq.com/x", "用户名"),
    ],
)
def test_webhook_addresses_only_reach_the_platforms(url, refused_because):
    problem = rules.webhook_problem(url, HOSTS)
    if refused_because:
        assert refused_because in problem
    else:
        assert problem == ""


def test_plain_http_is_refused_for_a_public_host_even_when_allowed():
    assert "https" in rules.webhook_problem("http://oapi.dingtalk.com/robot/send", HOSTS)


def test_wecom_text_mentions_userids():
    payload = rules.wecom_payload("【会议】明天", ["zhang3"])
    assert payload == {
        "msgtype": "text",
        "text": {"content": "【会议】明天", "mentioned_list": ["zhang3"]},
    }


def test_dingtalk_names_the_mentioned_in_the_text_too():
    payload = rules.dingtalk_payload("【会议】明天", ["u1", "u2"])
    assert payload["at"] == {"atUserIds": ["u1", "u2"]}
    assert payload["text"]["content"].endswith("@u1 @u2")


def test_dingtalk_signature_follows_the_documented_recipe():
    secret, ts = "SEC123", 1700000000000
    url = rules.dingtalk_signed_url(
        "https://oapi.dingtalk.com/robot/send?access_token=t", secret, ts
    )
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{ts}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["timestamp"] == [str(ts)]
    assert query["sign"] == [expected]
    assert query["access_token"] == ["t"]


def test_without_a_secret_the_address_is_unchanged():
    assert rules.dingtalk_signed_url("https://x/robot?a=1", "", 5) == "https://x/robot?a=1"


@pytest.mark.parametrize(
    ("status", "answer", "error"),
    [
        (200, {"errcode": 0, "errmsg": "ok"}, ""),
        (200, {"errcode": 93000, "errmsg": "invalid webhook url"}, "errcode 93000"),
        (200, None, "JSON"),
        (502, {"errcode": 0}, "HTTP 502"),
    ],
)
def test_robot_answers(status, answer, error):
    result = rules.robot_error(status, answer)
    assert (error in result and result) if error else result == ""


def test_message_text_carries_title_body_and_link():
    text = rules.message_text("支部党员大会", "明天 14:30 三楼会议室", "https://dj.example.cn/m/1/")
    assert text.splitlines() == [
        "【支部党员大会】",
        "明天 14:30 三楼会议室",
        "https://dj.example.cn/m/1/",
    ]
