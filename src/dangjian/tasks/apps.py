from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "dangjian.tasks"
    verbose_name = _("任务清单")
