from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo data and `dangjian demo`: above every domain app, imported by none."""

    name = "dangjian.demo"
    label = "demo"
    verbose_name = "示例数据"
