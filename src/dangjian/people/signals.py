"""What the registry tells the apps above it, which it may not import: a person's Party
status changed (an admission approved, full membership, a cancellation). The sender is
the service that changed it; receivers run inside its transaction, so what they write
stands or falls with the change (the dues app bills the months a late approval opens)."""

from django.dispatch import Signal

# Sent with person=Person, since=date (the first day the new status counts), by=user.
status_changed = Signal()
