from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BrandsConfig(AppConfig):
    name = "dangjian.brands"
    verbose_name = _("党建品牌")
