from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "dangjian.learning"
    verbose_name = _("学习教育")
