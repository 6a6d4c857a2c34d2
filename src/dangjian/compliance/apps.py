from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """Findings across the domain apps (`dangjian check`, the compliance page, the nightly
    reminders): above the domain apps, which never import it."""

    name = "dangjian.compliance"
    label = "compliance"
    verbose_name = "合规检查"
