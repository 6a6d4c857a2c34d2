"""The notices' fixed choices and the channels' pure rules: retry timing, which
notices may go to a group chat, webhook addresses, and the 企业微信 / 钉钉 message bodies
(their robot APIs: a JSON POST answered by {"errcode": 0}). No ORM here; table-tested."""

import base64
import datetime as dt
import hashlib
import hmac
import ipaddress
import urllib.parse

from django.db import models
from django.utils.translation import gettext_lazy as _


class AnnouncementKind(models.TextChoices):
    NOTICE = "notice", _("通知")
    NEWS = "news", _("新闻动态")


class Audience(models.TextChoices):
    MEMBERS = "members", _("组织内全体党员")
    OFFICERS = "officers", _("党务工作者（党委办公室、支部书记）")
    LIST = "list", _("指定人员")


class Channel(models.TextChoices):
    EMAIL = "email", _("电子邮件")
    WECOM = "wecom", _("企业微信")
    DINGTALK = "dingtalk", _("钉钉")


GROUP_CHANNELS = (Channel.WECOM, Channel.DINGTALK)


class DispatchState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已送达")
    FAILED = "failed", _("发送失败")


# A failed delivery is tried again after these waits, then given up and shown to the
# office as failed (which may retry it by hand). Five tries over about 2.5 hours ride out
# a mail server's restart or a webhook's rate limit without flooding anyone.
RETRY_WAITS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
)
MAX_ATTEMPTS = len(RETRY_WAITS) + 1
# A worker that claimed a delivery and died leaves it due again after this lease.
CLAIM_LEASE = dt.timedelta(minutes=10)
WEBHOOK_TIMEOUT_SECONDS = 10


def next_attempt(attempts: int, now: dt.datetime) -> dt.datetime | None:
    """When to try again after `attempts` failed tries; None once they are spent."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return now + RETRY_WAITS[attempts - 1]


# Only these notices may go to a group chat, where everyone in it reads them: what the
# whole group may know (announcements, meetings). A member's own matters (dues owed,
# exam results, a birthday) go to the inbox and e-mail only.
GROUP_KIND_PREFIXES = ("announcement", "meeting")


def group_safe(kind: str) -> bool:
    return kind.startswith(GROUP_KIND_PREFIXES)


DEFAULT_WEBHOOK_HOSTS = ("qyapi.weixin.qq.com", "oapi.dingtalk.com")


def webhook_problem(url: str, allowed_hosts) -> str:
    """The Chinese reason a webhook address is refused, or "". Only the platforms' own
    hosts (settings), over HTTPS: an office must not make the server call inside the
    hospital's network. Plain HTTP only to a loopback host that is explicitly allowed
    (a local stand-in in tests)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:
        return str(_("地址格式不正确"))
    host = (parts.hostname or "").lower()
    if not host or parts.scheme not in ("https", "http"):
        return str(_("请填写以 https:// 开头的完整机器人地址"))
    if host not in allowed_hosts:
        return str(_("只接受以下平台的机器人地址：%(hosts)s")) % {"hosts": "、".join(allowed_hosts)}
    if parts.scheme == "http" and not _loopback(host):
        return str(_("机器人地址须使用 https://"))
    if parts.username or parts.password:
        return str(_("地址中不能包含用户名或密码"))
    return ""


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def message_text(title: str, body: str, link: str) -> str:
    """The plain text a chat or an e-mail carries: title, body, and the page's address."""
    lines = [f"【{title}】"]
    if body:
        lines.append(body)
    if link:
        lines.append(link)
    return "\n".join(lines)


def wecom_payload(text: str, mentions: list[str]) -> dict:
    """企业微信 group robot, text message; `mentioned_list` takes the members' userids."""
    return {"msgtype": "text", "text": {"content": text, "mentioned_list": mentions}}


def dingtalk_payload(text: str, mentions: list[str]) -> dict:
    """钉钉 custom robot, text message; `atUserIds` takes the members' userids (the
    robot @-mentions only those named in the text as well)."""
    if mentions:
        text = text + "\n" + " ".join(f"@{userid}" for userid in mentions)
    return {"msgtype": "text", "text": {"content": text}, "at": {"atUserIds": mentions}}


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """钉钉's 加签: HMAC-SHA256 of "timestamp\\nsecret" keyed by the secret, base64,
    URL-encoded, appended with the timestamp."""
    if not secret:
        return url
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign}"


def robot_error(status: int, answer) -> str:
    """ "" when the robot accepted the message, else why not (kept on the delivery)."""
    if status != 200:
        return f"HTTP {status}"
    if not isinstance(answer, dict):
        return "应答不是 JSON"
    if answer.get("errcode", -1) != 0:
        return f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:300]
    return ""
