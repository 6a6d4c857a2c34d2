"""What the 三重一大 pages share: the page size, and running a service for a form."""

from django.db import transaction

from .services import DecisionError

PAGE_SIZE = 50


def try_service(form, run) -> bool:
    """Run a service for a valid form; a refusal becomes the form's error."""
    if not form.is_valid():
        return False
    try:
        with transaction.atomic():
            run(form.cleaned_data)
    except DecisionError as refused:
        for reason in refused.reasons:
            form.add_error(None, reason)
        return False
    return True
