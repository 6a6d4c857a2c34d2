"""Every audit entry carries its source: the client's address of the request that made
it (through the trusted proxies only), also when a service deep inside writes it without
being told; "命令行" for the `dangjian` command line and "后台任务" for jobs."""

import sys

import pytest
from django.core import management
from django.urls import reverse
from huey.contrib.djhuey import db_task

from dangjian.__main__ import main
from dangjian.core import audit
from dangjian.core.audit_source import BACKGROUND_JOB, COMMAND_LINE, acting_from
from dangjian.core.models import AuditEntry
from tests.factories import api_auth, make_member

pytestmark = pytest.mark.django_db


@db_task()
def audited_job(path: str) -> None:
    audit.record("dues.bills", org_path=path, summary={"month": "2026-01"})


def test_a_page_address_and_user_reach_the_service_entry(client, world):
    office = world.user("office")
    client.force_login(office)
    url = reverse("orgs:rename", args=[world.ha_b2.code])
    response = client.post(
        url, {"name": "党政综合党支部", "on": "2024-07-01"}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="org.rename")
    assert entry.ip_address == "198.51.100.7" and entry.actor == office
    assert entry.summary["changes"] == {"name": ["HA行政党支部", "党政综合党支部"]}


def test_a_trusted_proxy_gives_the_forwarded_client_and_others_are_not_believed(
    client, world, settings
):
    settings.DANGJIAN_TRUSTED_PROXIES = ["10.0.0.1"]
    client.force_login(world.user("office"))
    url = reverse("orgs:rename", args=[world.ha_b2.code])
    forwarded = "6.6.6.6, 203.0.113.9, 10.0.0.1"
    client.post(url, {"name": "甲", "on": "2024-07-01"},
                REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)  # fmt: skip
    client.post(url, {"name": "乙", "on": "2024-08-01"},
                REMOTE_ADDR="192.0.2.4", HTTP_X_FORWARDED_FOR="6.6.6.6")  # fmt: skip
    sources = list(AuditEntry.objects.filter(action="org.rename").order_by("seq"))
    assert [e.ip_address for e in sources] == ["203.0.113.9", "192.0.2.4"]


def test_an_api_token_write_carries_its_address_and_user(client, world):
    person = make_member(world.ha_b1, professional_title="主治医师")
    office = world.user("office")
    headers = api_auth(client, office)
    response = client.patch(
        f"/api/v1/members/{person.pk}", {"professional_title": "副主任医师"},
        content_type="application/json", REMOTE_ADDR="198.51.100.9", **headers,
    )  # fmt: skip
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="person.update")
    assert entry.ip_address == "198.51.100.9" and entry.actor == office
    assert entry.summary["changes"] == {"professional_title": ["主治医师", "副主任医师"]}


def test_an_address_given_by_the_caller_wins(rf, world):
    with acting_from(rf.get("/", REMOTE_ADDR="198.51.100.1")):
        entry = audit.record("login", ip_address="192.0.2.99", org_path=world.ha.path)
    assert entry.ip_address == "192.0.2.99"


def test_the_command_line_is_the_source_of_what_a_command_audits(world, monkeypatch, capsys):
    """`dangjian` runs the command as Django's manage.py would (here with call_command,
    which leaves the test database open)."""
    user = world.user("office")
    monkeypatch.setattr(sys, "argv", ["dangjian", "tokens", user.username, "--revoke-feeds"])
    monkeypatch.setattr(management, "execute_from_command_line",
                        lambda argv: management.call_command(*argv[1:]))  # fmt: skip
    main()
    entry = AuditEntry.objects.get(action="calendar.feed_revoke")
    assert entry.ip_address == COMMAND_LINE
    assert "已作废" in capsys.readouterr().out


def test_a_job_is_the_source_also_when_run_inside_a_request(rf, world):
    audited_job(world.ha.path)  # immediate mode in the tests: runs here and now
    with acting_from(rf.get("/", REMOTE_ADDR="198.51.100.2")):
        audited_job(world.ha.path)
        after = audit.record("login", org_path=world.ha.path)
    sources = list(
        AuditEntry.objects.filter(action="dues.bills").values_list("ip_address", flat=True)
    )
    assert sources == [BACKGROUND_JOB, BACKGROUND_JOB]
    assert after.ip_address == "198.51.100.2"  # the request's source is back after the job


def test_entries_still_verify_with_their_sources(client, world):
    client.force_login(world.user("office"))
    client.post(reverse("orgs:rename", args=[world.ha_b2.code]),
                {"name": "丙", "on": "2024-07-01"}, REMOTE_ADDR="198.51.100.7")  # fmt: skip
    audited_job(world.ha.path)
    assert audit.verify_chain().ok


def test_an_api_read_behind_the_proxy_records_the_client_not_the_proxy(client, world, settings):
    """The development record's API read wrote REMOTE_ADDR itself (the proxy's address)."""
    settings.DANGJIAN_TRUSTED_PROXIES = ["10.0.0.1"]
    person = make_member(world.ha_b1)
    headers = api_auth(client, world.user("office"))
    response = client.get(
        f"/api/v1/development/people/{person.pk}/steps",
        REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5", **headers,
    )  # fmt: skip
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="development.view")
    assert entry.ip_address == "203.0.113.5"
