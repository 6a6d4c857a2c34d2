"""What every page about one person's records shares."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from dangjian.accounts.scope import scope_for

from .models import Person


def writable_person(request, pk: int, denied: str, people=None) -> Person:
    """The person `pk` if the user may change their records: 404 outside the user's
    scope, 403 (with the `denied` message) where they may only read. `people` narrows or
    prefetches the queryset (default: with the organisation)."""
    queryset = people if people is not None else Person.objects.select_related("organization")
    person = get_object_or_404(queryset.visible_to(request.user), pk=pk)
    if not scope_for(request.user).can_write(person.organization):
        raise PermissionDenied(denied)
    return person
