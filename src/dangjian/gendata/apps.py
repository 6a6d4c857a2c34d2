from django.apps import AppConfig


class GenDataConfig(AppConfig):
    """`dangjian gen-data`, the synthetic city for benchmarks: above every domain app."""

    name = "dangjian.gendata"
    label = "gendata"
    verbose_name = "模拟数据"
