"""What the audit log asks of the people app (registered in `people.apps`): names of
the people its entries concern and the people a search means, within the user's scope."""

import re

from dangjian.core.crypto import digest

from .models import Person

ID_NUMBER = re.compile(r"^\d{17}[\dXx]$|^\d{15}$")


def names(user, ids) -> dict[int, str]:
    return dict(Person.objects.visible_to(user).filter(pk__in=ids).values_list("pk", "name"))


def matching(user, text: str, limit: int) -> list[int]:
    """A whole ID-card number finds its person by the number's digest (never by
    decrypting); anything else is a part of a name."""
    text = text.strip()
    people = Person.objects.visible_to(user)
    if ID_NUMBER.match(text):
        people = people.filter(id_digest__in={digest(text), digest(text.upper())})
    else:
        people = people.filter(name__contains=text)
    return list(people.order_by().values_list("pk", flat=True)[:limit])
