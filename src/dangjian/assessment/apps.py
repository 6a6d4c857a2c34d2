from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    """The 党政管理通报 (and, as they come, assessment scores): reads the findings of
    `compliance`, the figures of `dashboard` and the domain apps' records, so it sits
    in a layer above them."""

    name = "dangjian.assessment"
    label = "assessment"
    verbose_name = "考核与通报"
