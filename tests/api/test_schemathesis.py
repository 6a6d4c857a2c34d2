"""Every operation of /api/v1/openapi.json, called by schemathesis with generated input
(positive and negative, a bounded number of examples) as the Party office of hospital A
with a few records of each kind: no server error, and every answer is one the document
declares, with the declared content type and schema (issue 14, "Done when").

schemathesis' own pytest plugin does not run under pytest 9.2 (it reads a node
attribute pytest removed), so the cases come from its Python API with hypothesis."""

import datetime as dt

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from dangjian.accounts.models import ApiToken, Role
from dangjian.accounts.services import issue_token
from dangjian.decisions import services as decisions
from dangjian.dues import services as dues
from dangjian.meetings import services as meetings
from dangjian.meetings.rules import MeetingKind
from dangjian.people.models import Status
from tests.decisions.builders import committee, matter, meeting_with
from tests.factories import make_member
from tests.tasks.builders import a_list, a_task

pytestmark = pytest.mark.django_db

EXAMPLES = 8  # per operation and kind of input: the whole run stays well under a minute
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
REVOKES_TOKENS = ("DELETE", "/api/v1/auth/tokens/{token_id}")


def _records(world) -> dict[str, int | str]:
    """A few records of each kind in hospital A (one person in B, out of reach), and the
    path parameters that name them."""
    people = [make_member(world.ha_b1, name=f"甲{i}") for i in range(3)]
    make_member(world.ha_b2, name="甲积极分子", status=Status.ACTIVIST)
    make_member(world.hb_b1, name="乙")
    for person in people:
        dues.fix_base(
            person, category="in_service", base="4500", effective_from=dt.date(2024, 1, 1)
        )
    dues.generate_bills(dt.date(2024, 1, 1))
    meeting = meetings.plan_meeting(
        world.ha_b1,
        kind=MeetingKind.GENERAL_ASSEMBLY,
        topic="学习党章",
        planned_on=dt.date(2024, 3, 1),
    )
    _, area = a_list(world.ha)
    task = a_task(area, world.ha_b1)
    decision_meeting = meeting_with(world.ha, committee(world.ha, 5), present=5)
    item = decisions.add_agenda_item(decision_meeting, matter(world.ha))
    return {
        "code": world.ha_b1.code, "member_id": people[0].pk, "person_id": people[1].pk,
        "meeting_id": meeting.pk, "task_id": task.pk, "matter_id": item.matter_id,
        "item_id": item.pk, "decision_meeting_id": decision_meeting.pk,
    }  # fmt: skip


def _known(operation, records: dict) -> dict:
    """Path parameters naming records the office may read, so that some cases reach
    them (generated numbers rarely do)."""
    names = {p.name for p in operation.path_parameters}
    known = {name: records[name] for name in names if name in records}
    if "/decisions/meetings/" in operation.path:
        known["meeting_id"] = records["decision_meeting_id"]
    return known


@pytest.fixture
def office(world, settings):
    settings.DANGJIAN_TOKENS_PER_USER = 1000  # the calls below issue many
    return world.user(Role.OFFICE, "A")


def _exercise(operation, headers: dict, known: dict, fresh_token) -> None:
    strategies = [operation.as_strategy(mode) for mode in GenerationMode]
    if known:
        strategies.append(operation.as_strategy(path_parameters=known))

    @given(case=st.one_of(*strategies))
    @settings(max_examples=EXAMPLES * len(strategies), deadline=None, derandomize=True,
              database=None, suppress_health_check=list(HealthCheck))  # fmt: skip
    def call(case):
        sent = dict(headers)
        if (case.method.upper(), case.path) == REVOKES_TOKENS:  # may revoke its own token
            sent["Authorization"] = f"Bearer {fresh_token()}"
        case.call_and_validate(headers=sent, checks=CHECKS)

    call()


def test_every_operation_conforms_to_the_document(world, office, wsgi_app):
    records = _records(world)
    headers = {"Authorization": f"Bearer {issue_token(office)}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app, headers=headers)
    failures = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        try:
            _exercise(operation, headers, _known(operation, records), lambda: issue_token(office))
        except (Exception, BaseExceptionGroup) as failure:  # every operation runs
            failures[operation.label] = failure  # and every failure is reported
    assert ApiToken.objects.filter(user=office, revoked_at__isnull=True).exists()
    assert not failures, "\n\n".join(_described(label, f) for label, f in failures.items())


def _described(label: str, failure: BaseException) -> str:
    parts = getattr(failure, "exceptions", None) or [failure]
    return "\n".join([label, *(f"  {part}" for part in parts)])
