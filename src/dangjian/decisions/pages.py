"""What the 三重一大 pages share: the page size, and running a service for a form."""

from dangjian.core.pages import try_service as run_for_form

from .services import DecisionError

PAGE_SIZE = 50


def try_service(form, run) -> bool:
    """Run a service for a valid form; a refusal becomes the form's error."""
    return run_for_form(form, run, DecisionError)
