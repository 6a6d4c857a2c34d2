"""Who may take the statistics away as a workbook: the guidance committee and a hospital's
Party office, over an organisation their grant covers (a hospital or above)."""

from dangjian.accounts.models import Role

from .export import summarised_by_hospital

EXPORT_ROLES = (Role.GUIDANCE, Role.OFFICE)


def may_export_stats(user, org) -> bool:
    if not summarised_by_hospital(org):
        return False
    paths = user.grants.filter(role__in=EXPORT_ROLES).values_list("organization__path", flat=True)
    return any(org.path.startswith(path) for path in paths)
