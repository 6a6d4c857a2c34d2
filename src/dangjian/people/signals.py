"""What the registry tells the apps above it, which it may not import: a person's Party
status changed (an admission approved, full membership, a cancellation). The sender is
the service that changed it; receivers run inside its transaction, so what they write
stands or falls with the change (the dues app bills the months a late approval opens,
and moves a transferred member's unpaid bills of later months)."""

from django.dispatch import Signal

# Sent with person=Person, since=date (the first day the new status counts), by=user.
status_changed = Signal()

# Sent when a person's organisation relation moves (a transfer, people.transfers, or a
# move or restructuring, people.services.move_person):
# person=Person, from_org / to_org=Organization or None (outside the system), on=date the
# move counts from, by=user.
member_moved = Signal()
