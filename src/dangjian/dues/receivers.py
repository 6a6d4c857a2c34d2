"""The dues app's answers to what the registry tells it (people.signals)."""

from dangjian.people.signals import member_moved, status_changed

from .services import bill_missing_months, follow_the_move


def bill_after_a_status_change(sender, *, person, since, by=None, **kwargs):
    """A late approval leaves the months already billed without the person's bill."""
    bill_missing_months(person, since, by=by)


def bills_follow_the_member(sender, *, person, to_org, on, by=None, **kwargs):
    """A transfer: unpaid bills of the months after it go with the member."""
    follow_the_move(person, to_org, on, by=by)


def connect() -> None:
    status_changed.connect(bill_after_a_status_change, dispatch_uid="dues-bill-missing-months")
    member_moved.connect(bills_follow_the_member, dispatch_uid="dues-bills-follow-the-member")
