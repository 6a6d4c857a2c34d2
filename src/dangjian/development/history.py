"""A hospital's development history from its roster: the stage dates (申请入党日期 …
转正日期, SPEC.md §4) become imported milestone steps, so the pipeline starts from the
real records. Called by the roster importer inside its transaction."""

from .models import DevelopmentStep
from .steps import IMPORT_MILESTONES


def milestones(person_pk: int, org_pk: int, periods, skip: set[str] = frozenset()):
    """Unsaved imported steps for one person; `periods` are (status, started_on) pairs in
    order, `skip` the step codes already recorded in the app."""
    steps = []
    for status, started_on in periods:
        code = IMPORT_MILESTONES.get(status)
        if code is None or code in skip:
            continue
        steps.append(
            DevelopmentStep(
                person_id=person_pk,
                organization_id=org_pk,
                code=code,
                done_on=started_on,
                effective_on=started_on,
                imported=True,
            )
        )
    return steps


def replace_imported(people: list[tuple[int, int, list]]) -> None:
    """Rewrite the imported milestones of (person pk, organisation pk, periods) triples;
    steps recorded in the app stay and are not imported twice."""
    pks = [pk for pk, _, _ in people]
    DevelopmentStep.objects.filter(person_id__in=pks, imported=True).delete()
    recorded: dict[int, set[str]] = {}
    for person_id, code in DevelopmentStep.objects.filter(person_id__in=pks).values_list(
        "person_id", "code"
    ):
        recorded.setdefault(person_id, set()).add(code)
    DevelopmentStep.objects.bulk_create(
        [
            step
            for pk, org_pk, periods in people
            for step in milestones(pk, org_pk, periods, recorded.get(pk, set()))
        ],
        batch_size=500,
    )
