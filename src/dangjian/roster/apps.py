from django.apps import AppConfig


class RosterConfig(AppConfig):
    """The roster workbook in and out (SPEC.md §4): organisations, people, committee seats
    and development milestones, so above the registry and the development app."""

    name = "dangjian.roster"
    label = "roster"
    verbose_name = "名册导入导出"
