"""What the survey pages share: a survey's state now, and a member's survey."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from . import queries, rules
from .models import Survey


def state_of(survey: Survey, now) -> dict:
    """The state code and its Chinese label, for the templates."""
    code = rules.state(survey.is_published, survey.opens_at, survey.closes_at, now)
    return {"code": code, "label": _(rules.STATE_LABELS[code])}


def member_person(request):
    """The person the user logs in as, if a Party member now; else 404."""
    person = getattr(request.user, "person", None)
    if person is None or not queries.is_member_now(person):
        raise Http404(_("没有可作答的问卷"))
    return person


def member_survey(request, pk: int) -> Survey:
    """A published survey addressed to the user as a member (with `answered`); 404
    otherwise."""
    person = member_person(request)
    return get_object_or_404(queries.for_member(person), pk=pk)
