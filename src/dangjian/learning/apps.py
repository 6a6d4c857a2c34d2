from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "dangjian.learning"
    verbose_name = _("学习教育")

    def ready(self):
        from . import receivers  # noqa: F401 (connects the service app's signal)
