"""Form pieces every area shares."""

from django import forms


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); returns a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


ISO_DATE = "%Y-%m-%d"


def date_input(css: str = "form-control"):
    """A date field for the browser's date picker: it reads and writes ISO days only, so
    the value is given in that format whatever the locale's (zh-Hans formats a date as
    2026/12/03, which the picker shows as blank and the first save then refuses)."""
    return forms.DateInput(attrs={"type": "date", "class": css}, format=ISO_DATE)


class Picker(forms.CheckboxSelectMultiple):
    """Choosing several people (or units) on a phone as on a desktop: a box to type part
    of a name, and a list to tick, instead of a multiple select that needs Ctrl-click."""

    template_name = "core/widgets/picker.html"


class PickOne(forms.RadioSelect):
    """The picker for one choice among many (a member of a whole city): the same box to
    type part of a name, and a list of radio buttons."""

    template_name = "core/widgets/picker.html"
