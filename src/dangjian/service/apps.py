from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "dangjian.service"
    verbose_name = _("志愿服务与为民办实事")
