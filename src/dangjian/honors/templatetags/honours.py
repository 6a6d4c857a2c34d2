"""`{% honours_of person %}` / `{% honours_of org %}`: the honours card of the person's
and the organisation's pages (one query). Those pages are already scoped; the registry
apps cannot import this one, so the card comes in through the template."""

from django import template

from dangjian.orgs.models import Organization

from .. import queries

register = template.Library()


@register.inclusion_tag("honors/_honours.html")
def honours_of(subject):
    rows = (
        queries.of_org(subject) if isinstance(subject, Organization) else queries.of_person(subject)
    )
    return {"honours": list(rows[:20])}
