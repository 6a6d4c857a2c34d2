"""The dues app's answers to what the registry tells it (people.signals)."""

from dangjian.people.signals import status_changed

from .services import bill_missing_months


def bill_after_a_status_change(sender, *, person, since, by=None, **kwargs):
    """A late approval leaves the months already billed without the person's bill."""
    bill_missing_months(person, since, by=by)


def connect() -> None:
    status_changed.connect(bill_after_a_status_change, dispatch_uid="dues-bill-missing-months")
