"""Signed checkpoints of the audit chain's head, outside the database: written daily and on
demand, logged for syslog, and held against the chain by `verify_chain`."""

import datetime as dt
import json
import logging
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from dangjian.accounts import tasks as account_tasks
from dangjian.core import audit
from dangjian.core.audit_checkpoint import FILE_NAME, directory

pytestmark = pytest.mark.django_db


def _lines():
    return (directory() / FILE_NAME).read_text().splitlines()


def test_a_checkpoint_is_appended_to_a_private_file_and_logged(caplog):
    entry = audit.record("test.action")
    with caplog.at_level(logging.INFO, logger="dangjian.audit.checkpoint"):
        checkpoint = audit.write_checkpoint()
    assert (checkpoint.seq, checkpoint.hash) == (1, entry.hash)
    (line,) = _lines()
    written = json.loads(line)
    assert (written["seq"], written["hash"]) == (1, entry.hash) and written["sig"]
    assert stat.S_IMODE(directory().stat().st_mode) == 0o700
    assert stat.S_IMODE((directory() / FILE_NAME).stat().st_mode) == 0o600
    assert [r.getMessage() for r in caplog.records if r.name == "dangjian.audit.checkpoint"] == [
        line
    ]
    audit.record("test.action")
    audit.write_checkpoint()
    assert len(_lines()) == 2  # appended, never rewritten
    assert audit.verify_chain().checkpoints == 2


def test_the_command_writes_one_on_demand(capsys):
    audit.record("test.action")
    call_command("audit-checkpoint")
    assert "已写入审计检查点：第 1 条" in capsys.readouterr().out
    assert len(_lines()) == 1


def test_the_command_says_when_it_cannot_write(settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.AUDIT_CHECKPOINT_DIR = blocker / "audit-checkpoints"
    with pytest.raises(CommandError, match="无法写入审计检查点"):
        call_command("audit-checkpoint")


def test_the_daily_job_writes_one():
    job = account_tasks.daily_audit_checkpoint
    minutes = [dt.datetime(2026, 1, 1) + dt.timedelta(minutes=m) for m in range(24 * 60)]
    assert len([m for m in minutes if job.s().validate_datetime(m)]) == 1  # once a day
    audit.record("test.action")
    audit.record("test.action")
    assert job.call_local() == 2
    assert json.loads(_lines()[0])["seq"] == 2


def test_a_checkpoint_of_an_empty_log_passes():
    audit.write_checkpoint()
    assert audit.verify_chain().ok


def _rewrite_first_line(change):
    path = directory() / FILE_NAME
    lines = path.read_text().splitlines()
    lines[0] = change(lines[0])
    path.write_text("\n".join(lines) + "\n")


def _lower_the_position(line):
    written = json.loads(line)
    written["seq"] -= 1
    return json.dumps(written)


def _sign_with_another_key(line):
    import hashlib
    import hmac

    from dangjian.core.audit_checkpoint import Checkpoint
    from dangjian.core.audit_key import canonical

    written = json.loads(line)
    forged = Checkpoint(written["seq"], written["hash"], written["at"])
    written["sig"] = hmac.new(b"guess", canonical(forged.fields()), hashlib.sha256).hexdigest()
    return json.dumps(written)


@pytest.mark.parametrize(
    "change, reason",
    [
        (_lower_the_position, "签名无效（检查点被篡改）"),
        (_sign_with_another_key, "签名无效（检查点被篡改）"),
        (lambda line: line[: len(line) // 2], "无法识别（检查点被篡改）"),
    ],
)
def test_a_tampered_checkpoint_is_reported(change, reason):
    audit.record("test.action")
    audit.record("test.action")
    audit.write_checkpoint()
    _rewrite_first_line(change)
    report = audit.verify_chain()
    assert not report.ok and reason in report.reason and FILE_NAME in report.reason
    with pytest.raises(CommandError, match="检查点被篡改"):
        call_command("verify-audit")


def test_a_checkpoint_copied_back_from_syslog_counts(caplog):
    audit.record("test.action")
    with caplog.at_level(logging.INFO, logger="dangjian.audit.checkpoint"):
        audit.write_checkpoint()
    (directory() / FILE_NAME).unlink()
    (directory() / "from-syslog.jsonl").write_text(caplog.records[-1].getMessage() + "\n")
    assert audit.verify_chain().checkpoints == 1


def test_the_verify_page_names_a_broken_anchor_without_an_entry_number(client, world):
    audit.record("org.create", org_path=world.ha.path)
    audit.write_checkpoint()
    _rewrite_first_line(_lower_the_position)
    client.force_login(world.user("auditor"))
    page = client.post(reverse("audit_verify"), follow=True).content.decode()
    assert "审计日志校验失败" in page and "检查点被篡改" in page and "第 -1 条" not in page
