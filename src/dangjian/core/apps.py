from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = "基础"

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks

        post_migrate.connect(_store_field_key_canary, sender=self)
        from huey.contrib.djhuey import HUEY

        from .audit_source import mark_jobs

        mark_jobs(HUEY)


def _store_field_key_canary(sender, using, **kwargs):
    from .fieldkey import ensure_canary  # models are loaded only once apps are ready

    ensure_canary(using)
