"""`{% brands_of org %}`: the brands card of the organisation's page (one query). That
page is already scoped; the registry apps cannot import this one, so the card comes in
through the template."""

from django import template

from .. import queries

register = template.Library()


@register.inclusion_tag("brands/_brands.html")
def brands_of(org):
    return {"brands": list(queries.of_org(org)[:10]), "org": org}
