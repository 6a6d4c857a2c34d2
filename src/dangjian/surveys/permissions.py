"""Who may do what with surveys: the one copy of these rules, for the pages and jobs."""

from dangjian.accounts.scope import scope_for
from dangjian.orgs.models import Organization

from . import rules
from .models import Survey


def may_author(user, org: Organization) -> bool:
    """Write a survey for `org`'s members: the hospital office, a branch's secretary."""
    return scope_for(user).can_write(org)


def may_manage(user, survey: Survey) -> bool:
    """Change a draft, publish, close early: whoever may write for its organisation."""
    return scope_for(user).can_write(survey.organization)


def may_read_results(user, survey: Survey) -> bool:
    """The author's side sees results at any time: those who read its people."""
    return scope_for(user).can_read_people(survey.organization)


def member_sees_results(survey: Survey, now) -> bool:
    """A member of the audience, after closing, when the author chose so."""
    survey_state = rules.state(survey.is_published, survey.opens_at, survey.closes_at, now)
    return rules.member_sees_results(survey_state, survey.results_public)
