"""Every date picker carries its value as an ISO day. The browser's `<input type="date">`
reads `YYYY-MM-DD` only; Chinese formatting (2026/12/03) shows as a blank field, so a
prefilled form (a payment's day, a task's progress, a new matter) failed on first save."""

import datetime as dt
import importlib
import pkgutil

from django import forms
from django.utils import translation

import dangjian

DAY = dt.date(2026, 12, 3)


def _all_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(dangjian.__path__, "dangjian."):
        leaf = module.name.rsplit(".", 1)[-1]
        if leaf.startswith(("forms", "views")):
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("dangjian."):
                found.append(sub)
    return found


def _date_pickers():
    for form in _all_forms():
        for name, field in form.base_fields.items():
            if getattr(field.widget, "input_type", "") == "date":
                yield f"{form.__module__}.{form.__qualname__}.{name}", field.widget


def test_the_project_has_date_pickers_to_check():
    assert len(list(_date_pickers())) >= 15


def test_every_date_picker_renders_an_iso_day_in_chinese():
    wrong = []
    with translation.override("zh-hans"):
        for where, widget in _date_pickers():
            if 'value="2026-12-03"' not in widget.render("d", DAY):
                wrong.append(where)
    assert wrong == []
