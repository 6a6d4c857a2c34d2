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


def date_input():
    """A date field for the browser's date picker: it reads and writes ISO days only, so
    the value is given in that format whatever the locale's."""
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")
