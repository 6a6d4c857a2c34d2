from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "dangjian.care"
    verbose_name = _("党内关怀")
