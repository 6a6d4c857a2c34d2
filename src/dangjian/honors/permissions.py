"""Who may record honours: the one copy of this rule. A hospital's Party office for its
hospital, and the guidance committee (which otherwise only reads) for the hospitals it
guides; a branch secretary reads them only."""

from dangjian.accounts.models import Role, RoleGrant, User
from dangjian.accounts.scope import accounts_within, scope_for
from dangjian.orgs.models import Organization

from . import rules


def may_read(user, org: Organization) -> bool:
    return scope_for(user).can_read_people(org)


def may_record(user, org: Organization) -> bool:
    scope = scope_for(user)
    return scope.keeps_registry(org) or (Role.GUIDANCE in scope.roles and scope.can_read_org(org))


def may_manage_round(user, selection_round) -> bool:
    """Close, review, publish, record objections and approve: the organiser's people."""
    return may_record(user, selection_round.organization)


def recommending_unit(user, selection_round) -> Organization | None:
    """The unit the user recommends for: the organisation whose registry they keep
    (a hospital's Party office) inside the round's organiser; None if there is none."""
    inside = [
        p for p in scope_for(user).registry_paths
        if p.startswith(selection_round.organization.path)
    ]  # fmt: skip
    return Organization.objects.filter(path__in=inside).order_by("path").first() if inside else None


# Who may sit on a round's review panel: the Party workers (guidance committee, offices,
# secretaries, 纪检) of the organiser's subtree, with an active account.
PANEL_ROLES = (Role.GUIDANCE, Role.OFFICE, Role.SECRETARY, Role.AUDITOR)


def panel_candidates(selection_round):
    held = RoleGrant.objects.filter(role__in=PANEL_ROLES).values("user_id")
    workers = User.objects.filter(is_active=True, pk__in=held)
    within = accounts_within(workers, [selection_round.organization.path])
    return within.select_related("organization").order_by("last_name", "first_name", "username")


def on_panel(user, selection_round) -> bool:
    return selection_round.reviewers.filter(pk=user.pk).exists()


def own_paths(user) -> list[str]:
    """The organisations a user works for: where they hold a role (prefetch
    `grants__organization` for many users), else the one their account belongs to."""
    paths = [grant.organization.path for grant in user.grants.all()]
    if not paths and user.organization_id:
        paths = [user.organization.path]
    return paths


def is_recused(user, nomination, organiser) -> bool:
    candidate = nomination.person.organization if nomination.person_id else nomination.organization
    return rules.recused(own_paths(user), organiser.path, candidate.path)
