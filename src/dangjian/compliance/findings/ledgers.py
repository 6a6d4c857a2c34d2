"""Findings from the other registers: development steps overdue, dues in arrears, tasks
overdue."""

from dangjian.development import rules as dev_rules
from dangjian.development.models import DevelopmentStep
from dangjian.development.queries import due_within
from dangjian.development.steps import IMPORT_MILESTONES
from dangjian.dues import rules as dues_rules
from dangjian.dues.queries import arrears
from dangjian.people.models import Person
from dangjian.tasks.models import WorkTask
from dangjian.tasks.queries import overdue_tasks

from .base import RED, YELLOW, Finding

# The roster's stage dates import as these steps (development.steps.IMPORT_MILESTONES).
MILESTONE_STAGES = {code: stage for stage, code in IMPORT_MILESTONES.items()}


# ---- development ----------------------------------------------------------------
def development_findings(org, today) -> list[Finding]:
    people = Person.objects.filter(organization__path__startswith=org.path)
    found = []
    for entry in due_within(people, today, 0):
        due = entry.due
        if not due.overdue(today):
            continue
        person, unit = entry.person, entry.person.organization
        message = (
            f"{unit.name} {person.name}：{due.what}应于 {due.due_on.isoformat()} 前完成，已逾期"
        )
        ref = f"person-{person.pk}-{due.code}-{due.due_on.isoformat()}"
        found.append(
            Finding(unit.code, "development_overdue", RED, message, ref=ref, path=unit.path)
        )
    return found


# ---- dues and tasks -------------------------------------------------------------------
def dues_findings(org, today) -> list[Finding]:
    """Members three months or more in arrears (RULES.md §1): red at six, when the branch
    must handle the case; yellow from three."""
    found = []
    people = arrears(org.path, today, dues_rules.ARREARS_REMIND_MONTHS).select_related(
        "organization"
    )
    for person in people:
        months, unit = person.arrears_months, person.organization
        severity = RED if months >= dues_rules.ARREARS_HANDLE_MONTHS else YELLOW
        message = f"{unit.name} {person.name}：有 {months} 个月未交纳党费"
        ref = f"person-{person.pk}"
        found.append(Finding(unit.code, "dues_arrears", severity, message, ref=ref, path=unit.path))
    return found


def task_findings(org, today) -> list[Finding]:
    """Tasks past their deadline and not closed (销号), under the responsible organisation."""
    tasks = overdue_tasks(
        WorkTask.objects.filter(responsible_org__path__startswith=org.path), today
    )
    found = []
    for task in tasks:
        unit = task.responsible_org
        message = f"{unit.name}：任务“{task.title}”应于 {task.due_on.isoformat()} 前完成，尚未销号"
        ref = f"task-{task.pk}-{task.due_on.isoformat()}"
        found.append(Finding(unit.code, "task_overdue", RED, message, ref=ref, path=unit.path))
    return found


def development_history_findings(org, today) -> list[Finding]:
    """People whose imported stage dates (the hospital's history on paper) break a time
    rule (development.rules.history_irregularities). One query."""
    rows = (
        DevelopmentStep.objects.filter(
            imported=True, person__organization__path__startswith=org.path,
            code__in=MILESTONE_STAGES,
        )
        .values_list(
            "person_id", "code", "effective_on", "person__birth_date", "person__name",
            "person__organization__code", "person__organization__name",
            "person__organization__path",
        )
        .order_by("person_id")
    )  # fmt: skip
    people: dict[int, dict] = {}
    for pk, code, day, birth, name, unit_code, unit_name, path in rows:
        person = people.setdefault(
            pk, {"birth": birth, "name": name, "unit": (unit_code, unit_name, path), "stages": {}}
        )
        person["stages"][MILESTONE_STAGES[code]] = day
    found = []
    for pk, person in people.items():
        problems = dev_rules.history_irregularities(person["birth"], person["stages"])
        if not problems:
            continue
        unit_code, unit_name, path = person["unit"]
        message = (
            f"{unit_name} {person['name']}：{'；'.join(problems)}（名册导入的历史日期，请核实）"
        )
        found.append(
            Finding(unit_code, "development_history_irregular", YELLOW, message,
                    ref=f"person-{pk}", path=path)
        )  # fmt: skip
    return found
