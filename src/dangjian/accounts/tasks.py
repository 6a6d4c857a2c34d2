"""The accounts' nightly jobs: the audit log's hash chain, checked for the auditors, and
its head anchored outside the database."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from dangjian.core.audit import verify_chain, write_checkpoint
from dangjian.core.services import send_notice

from .models import Role, RoleGrant


@db_periodic_task(crontab(hour="3", minute="17"))
def nightly_audit_check() -> bool:
    """Verify the audit hash chain every night and tell the auditors if it is broken."""
    report = verify_chain()
    if not report.ok:
        auditors = {
            g.user for g in RoleGrant.objects.filter(role=Role.AUDITOR).select_related("user")
        }
        send_notice(auditors, "审计日志校验失败", report.reason, kind="audit")
    return report.ok


@db_periodic_task(crontab(hour="2", minute="57"))
def daily_audit_checkpoint() -> int:
    """Append a signed checkpoint of the chain's head to the checkpoint file and the log,
    so that deleting the newest entries (or all of them) shows in `verify_chain`."""
    return write_checkpoint().seq
