"""System checks of the ground floor, run by `check`, `migrate` and `runserver`."""

from django.core.checks import Error, register

from .fieldkey import field_key_problem


@register()
def field_key_check(app_configs, **kwargs):
    """A wrong DANGJIAN_FIELD_KEY is an error before anything reads or writes a field."""
    problem = field_key_problem()
    return [Error(problem, id="core.E001")] if problem else []
