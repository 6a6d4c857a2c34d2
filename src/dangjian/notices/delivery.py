"""The channels beyond the inbox. `plan` (registered with core.delivery) turns the
notices `send_notice` just wrote into deliveries: an e-mail per recipient who chose
e-mail, and one post per group robot that @-mentions every recipient in that group who
chose the chat. `deliver` makes one attempt; failures wait and retry (rules.RETRY_WAITS)
until sent or spent, and the office sees them on its delivery page."""

import time
from collections import defaultdict

import httpx
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangjian.orgs.models import Organization
from dangjian.people.models import Person

from . import rules
from .models import ChannelPreference, Dispatch, Webhook
from .rules import Channel, DispatchState


# ---- planning --------------------------------------------------------------------------
def plan(notices) -> list[Dispatch]:
    """Deliveries for `notices` (inside the sender's transaction). One query when nobody
    among the recipients chose a channel beyond the inbox, four at most otherwise."""
    user_ids = {notice.recipient_id for notice in notices}
    prefs = {
        pref.user_id: pref
        for pref in ChannelPreference.objects.filter(user_id__in=user_ids).filter(
            Q(email=True) | Q(wecom=True) | Q(dingtalk=True)
        )
    }
    if not prefs:
        return []
    homes, with_email = _homes(list(prefs))
    robots = _robots({path for path, _org in homes.values()})
    dispatches, posts = [], defaultdict(list)
    for notice in notices:
        pref = prefs.get(notice.recipient_id)
        if pref is None:
            continue
        path, org_id = homes.get(notice.recipient_id, ("", None))
        if pref.email and notice.recipient_id in with_email:
            dispatches.append(
                _dispatch(notice, Channel.EMAIL, organization_id=org_id, recipient_id=pref.user_id)
            )
        if not rules.group_safe(notice.kind):
            continue
        for channel in rules.GROUP_CHANNELS:
            robot = _nearest(robots, path, channel) if pref.wants(channel) else None
            if robot is not None:
                userid = getattr(pref, f"{channel}_userid")
                key = (robot.pk, notice.title, notice.body, notice.link, notice.kind)
                posts[key].append((robot, notice, userid))
    for entries in posts.values():
        robot, notice = entries[0][0], entries[0][1]
        mentions = sorted({userid for _r, _n, userid in entries if userid})
        dispatches.append(
            _dispatch(
                notice, robot.channel, organization_id=robot.organization_id, webhook=robot,
                mentions=mentions, recipients_count=len(entries),
            )
        )  # fmt: skip
    Dispatch.objects.bulk_create(dispatches)
    ids = [d.pk for d in dispatches]
    if ids:
        transaction.on_commit(lambda: _enqueue(ids))
    return dispatches


def _dispatch(notice, channel, **fields) -> Dispatch:
    return Dispatch(
        channel=channel, kind=notice.kind, title=notice.title[:200], body=notice.body,
        link=notice.link, **fields,
    )  # fmt: skip


def _homes(user_ids) -> tuple[dict[int, tuple[str, int | None]], set[int]]:
    """Each user's organisation (path, id): their own record's branch, else the
    organisation the account belongs to; and the users with an e-mail address."""
    users = (
        get_user_model()
        .objects.filter(pk__in=user_ids)
        .values_list("pk", "email", "organization_id", "organization__path")
    )
    homes, with_email = {}, set()
    for pk, email, org_id, path in users:
        homes[pk] = (path or "", org_id)
        if email:
            with_email.add(pk)
    for user_id, org_id, path in Person.objects.filter(user_id__in=user_ids).values_list(
        "user_id", "organization_id", "organization__path"
    ):
        homes[user_id] = (path, org_id)
    return homes, with_email


def _robots(paths: set[str]) -> dict[tuple[str, str], Webhook]:
    """The enabled robots of every organisation above (or at) these paths."""
    step = Organization.steplen
    prefixes = {path[:end] for path in paths for end in range(step, len(path) + 1, step)}
    if not prefixes:
        return {}
    robots = Webhook.objects.filter(enabled=True, organization__path__in=prefixes).select_related(
        "organization"
    )
    return {(robot.organization.path, robot.channel): robot for robot in robots}


def _nearest(robots, path: str, channel: str) -> Webhook | None:
    """The group closest to the member: their branch's, else the hospital's."""
    step = Organization.steplen
    for end in range(len(path), 0, -step):
        robot = robots.get((path[:end], channel))
        if robot is not None:
            return robot
    return None


def _enqueue(ids: list[int]) -> None:
    from .tasks import deliver_dispatches

    deliver_dispatches(ids)


# ---- sending ---------------------------------------------------------------------------
def deliver(dispatch_id: int) -> bool:
    """One attempt at a due delivery; True when it was sent. A claim (a conditional
    update that pushes the next attempt past a lease) keeps two workers from sending the
    same message."""
    now = timezone.now()
    claimed = (
        Dispatch.objects.filter(pk=dispatch_id, state=DispatchState.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + rules.CLAIM_LEASE)
    )
    if not claimed:
        return False
    dispatch = Dispatch.objects.select_related("recipient", "webhook").get(pk=dispatch_id)
    try:
        error = _send(dispatch)
    except (OSError, httpx.HTTPError, ValueError) as exc:  # SMTP errors are OSErrors
        error = f"{type(exc).__name__}: {exc}"[:300]
    attempts = dispatch.attempts + 1
    if not error:
        Dispatch.objects.filter(pk=dispatch_id).update(
            state=DispatchState.SENT, attempts=attempts, sent_at=timezone.now(),
            next_attempt_at=None, last_error="",
        )  # fmt: skip
        return True
    retry_at = rules.next_attempt(attempts, timezone.now())
    Dispatch.objects.filter(pk=dispatch_id).update(
        state=DispatchState.PENDING if retry_at else DispatchState.FAILED,
        attempts=attempts, next_attempt_at=retry_at, last_error=error[:300],
    )  # fmt: skip
    return False


def deliver_due(limit: int = 200) -> int:
    """Every delivery whose time has come (new ones a lost job never sent, retries);
    returns how many were sent."""
    due = Dispatch.objects.filter(state=DispatchState.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    )
    ids = list(due.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    return sum(deliver(pk) for pk in ids)


def _send(dispatch: Dispatch) -> str:
    """ "" when the channel accepted the message, else the reason."""
    text = rules.message_text(dispatch.title, dispatch.body, _absolute(dispatch.link))
    if dispatch.channel == Channel.EMAIL:
        address = dispatch.recipient.email if dispatch.recipient else ""
        if not address:
            return "收件人未填写电子邮箱"
        send_mail(
            f"[{settings.DANGJIAN_SITE_NAME}] {dispatch.title}", text, None, [address],
            fail_silently=False,
        )  # fmt: skip
        return ""
    robot = dispatch.webhook
    if robot is None or not robot.enabled:
        return "群机器人已删除或停用"
    if problem := rules.webhook_problem(robot.url, webhook_hosts()):
        return problem
    if robot.channel == Channel.WECOM:
        url, payload = robot.url, rules.wecom_payload(text, dispatch.mentions)
    else:
        url = rules.dingtalk_signed_url(robot.url, robot.secret, int(time.time() * 1000))
        payload = rules.dingtalk_payload(text, dispatch.mentions)
    response = httpx.post(
        url, json=payload, timeout=rules.WEBHOOK_TIMEOUT_SECONDS, follow_redirects=False
    )
    try:
        answer = response.json()
    except ValueError:
        answer = None
    return rules.robot_error(response.status_code, answer)


def _absolute(link: str) -> str:
    """A same-site path made absolute with the site's address (DANGJIAN_SITE_URL); left
    out when the address is not configured, rather than sending a path nobody can open."""
    if not link or not link.startswith("/"):
        return ""
    base = settings.DANGJIAN_SITE_URL.rstrip("/")
    return f"{base}{link}" if base else ""


def webhook_hosts() -> tuple[str, ...]:
    return tuple(settings.DANGJIAN_WEBHOOK_HOSTS)
