from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "dangjian.notices"
    verbose_name = _("通知公告")

    def ready(self):
        # Every notice any app sends (core.services.send_notice) is planned onto the
        # channels its recipients chose.
        from dangjian.core import delivery

        from .delivery import plan

        delivery.register(plan)
