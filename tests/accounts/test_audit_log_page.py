"""The audit log for 纪检 (issue 18): actions and objects in Chinese, the person
concerned by name (within the auditor's scope), before → after of edits, filters by
person, action, actor and dates with a fixed query count, and the export."""

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core import audit
from dangjian.core.models import AuditEntry
from dangjian.dues.services import fix_base
from dangjian.orgs.services import rename
from dangjian.people.records import update_person
from dangjian.tasks.services import TaskInput, update_task
from tests.factories import make_member
from tests.tasks.builders import a_list, a_task

pytestmark = pytest.mark.django_db
LOG = "audit_log"


def _page(client, user, query=""):
    client.force_login(user)
    response = client.get(reverse(LOG) + query)
    assert response.status_code == 200
    return response


def _rows(response):
    """The page's rows but the auditor's own sign-ins (force_login audits a login)."""
    return [row for row in response.context["rows"] if row.entry.action != "login"]


def _attendance(person, org, state="present"):
    """An entry whose object is a meeting and whose summary names the person."""
    return audit.record(
        "meeting.attendance", object_type="meetings.meeting", object_id="7",
        org_path=org.path, summary={"person": person.pk, "from": "", "to": state},
    )  # fmt: skip


@pytest.fixture
def people(world):
    return SimpleNamespace(
        a=make_member(world.ha_b1, name="甲审计", professional_title="主治医师"),
        a2=make_member(world.ha_b2, name="乙审计"),
        b=make_member(world.hb_b1, name="丙外院"),
    )


def test_actions_objects_and_names_in_chinese(client, world, people):
    update_person(people.a, {"professional_title": "副主任医师", "employment": "retired"})
    _attendance(people.a2, world.ha_b2)
    response = _page(client, world.user("auditor"))
    rows = {row.entry.action: row for row in response.context["rows"]}
    edit, attendance = rows["person.update"], rows["meeting.attendance"]
    assert (edit.action, edit.object, edit.person) == ("修改人员信息", "人员", "甲审计")
    assert (attendance.action, attendance.person) == ("登记会议出席", "乙审计")
    assert edit.changes == [("职称", "主治医师", "副主任医师"), ("人员类别", "在职", "离退休")]
    assert attendance.details == [("原", "—"), ("现", "出席")]
    page = response.content.decode()
    assert f'href="?person_id={people.a.pk}"' in page and "主治医师 → <strong>副主任医师" in page


def test_older_entries_without_changes_name_the_fields_in_chinese(client, world, people):
    audit.record("person.update", obj=people.a, org_path=world.ha_b1.path,
                 summary={"fields": ["admin_title", "employment"]})  # fmt: skip
    (row,) = _rows(_page(client, world.user("auditor")))
    assert row.changes == [] and row.details == [("修改的项目", "行政职务、人员类别")]


def test_names_only_of_people_the_reader_may_read(client, world, people):
    """The audit administrator reads the log but no personal records: numbers, no names."""
    _attendance(people.a, world.ha_b1)
    (row,) = _rows(_page(client, world.user("auditadmin")))
    assert row.person == f"人员 #{people.a.pk}" and row.person_id is None


def test_edits_of_organisations_dues_bases_and_tasks_show_before_and_after(client, world, people):
    rename(world.ha_b2, "党政综合党支部", dt.date(2024, 7, 1))
    world.ha_b2.refresh_from_db()
    fix_base(people.a, category="in_service", base="4500", effective_from=dt.date(2025, 1, 1))
    fix_base(people.a, category="in_service", base="5200", effective_from=dt.date(2025, 7, 1))
    _, area = a_list(world.ha)
    task = a_task(area, world.ha_b1)
    update_task(task, TaskInput(title="完成换届选举", responsible_org=world.ha_b2, starts_on=None,
                                due_on=dt.date(2025, 9, 30)))  # fmt: skip
    rows = _page(client, world.user("auditor")).context["rows"]
    changes = [(row.entry.action, row.changes) for row in rows if row.changes]
    assert changes == [
        ("tasks.task_changed", [("任务", "完成支部换届", "完成换届选举"),
                                ("责任组织", "HA心内科党支部", "党政综合党支部"),
                                ("完成时限", "2025-06-30", "2025-09-30")]),
        ("dues.base", [("月交纳基数", "4500.00", "5200.00")]),
        ("dues.base", [("党费类别", "—", "在职"), ("月交纳基数", "—", "4500.00")]),
        ("org.rename", [("组织名称", "HA行政党支部", "党政综合党支部")]),
    ]  # fmt: skip
    # What the changes already say is not repeated; the rest keeps its meaning.
    details = {row.entry.action: row.details for row in rows}
    assert details["org.rename"] == [("日期", "2024-07-01")]
    assert details["dues.base"] == [("执行月份", "2025-01-01")]
    assert audit.verify_chain().ok


def test_filter_by_person_name_or_whole_id_number(client, world, people):
    update_person(people.a, {"admin_title": "副主任"})
    _attendance(people.a, world.ha_b1)
    _attendance(people.a2, world.ha_b2)
    auditor = world.user("auditor")
    by_name = _page(client, auditor, "?person=甲审").context["rows"]
    assert {(r.entry.action, r.person) for r in by_name} == {
        ("person.update", "甲审计"), ("meeting.attendance", "甲审计")
    }  # fmt: skip
    # A whole number leaves the address for the person's id: it is not kept in the page.
    response = client.get(reverse(LOG) + f"?person={people.a.id_number}&action=", follow=True)
    assert response.redirect_chain == [(f"{reverse(LOG)}?action=&person_id={people.a.pk}", 302)]
    assert [r.entry.pk for r in response.context["rows"]] == [r.entry.pk for r in by_name]
    assert people.a.id_number not in response.content.decode()
    assert _page(client, auditor, "?person=丙外院").context["rows"] == []  # hospital B
    outsider = people.b.id_number
    assert _page(client, auditor, f"?person={outsider}").context["rows"] == []


def test_a_persons_page_links_the_auditor_to_their_entries(client, world, people):
    client.force_login(world.user("auditor"))
    page = client.get(reverse("people:detail", args=[people.a.pk])).content.decode()
    assert f"{reverse(LOG)}?person_id={people.a.pk}" in page
    client.force_login(world.user("office"))
    page = client.get(reverse("people:detail", args=[people.a.pk])).content.decode()
    assert f"?person_id={people.a.pk}" not in page


def test_filter_by_action_group_actor_and_dates(client, world, people, monkeypatch):
    office = world.user("office")
    days = iter(
        [dt.datetime(2026, 3, 1, 9), dt.datetime(2026, 3, 5, 9), dt.datetime(2026, 3, 9, 9)]
    )
    clock = SimpleNamespace(now=lambda: timezone.make_aware(next(days)))
    with monkeypatch.context() as patched:
        patched.setattr(audit, "timezone", clock)
        audit.record("dues.payment", actor=office, obj=people.a, org_path=world.ha_b1.path)
        audit.record("dues.base", obj=people.a, org_path=world.ha_b1.path)
        audit.record("login", actor=office, obj=office, org_path=world.ha.path)
    auditor = world.user("auditor")
    client.force_login(auditor)  # its own login entry: after the ones above

    def actions(query):
        response = client.get(reverse(LOG) + query)
        return [r.entry.action for r in response.context["rows"] if r.entry.actor != auditor]

    assert actions("?action=@dues") == ["dues.base", "dues.payment"]
    assert actions("?action=dues.base") == ["dues.base"]
    assert actions("?action=person.") == []  # an older prefix link still works
    assert actions("?actor=office-a") == ["login", "dues.payment"]
    assert actions("?date_from=2026-03-02&date_to=2026-03-05") == ["dues.base"]
    assert actions("?date_to=2026-03-01") == ["dues.payment"]


def test_a_bad_filter_is_said_in_chinese_and_shows_nothing(client, world, people):
    _attendance(people.a, world.ha_b1)
    response = _page(client, world.user("auditor"), "?action=dues.nothing")
    assert (
        response.context["rows"] == [] and "没有这种操作：dues.nothing" in response.content.decode()
    )
    response = _page(client, world.user("auditor"), "?date_from=2026-03-05&date_to=2026-03-01")
    assert (
        response.context["rows"] == [] and "起始日期不能晚于截止日期" in response.content.decode()
    )


def test_the_action_filter_lists_groups_in_chinese(client, world):
    page = _page(client, world.user("auditor")).content.decode()
    assert (
        '<optgroup label="党费">' in page and '<option value="@dues">党费（全部）</option>' in page
    )
    assert '<option value="person.update">修改人员信息</option>' in page


def test_person_id_filter_is_404_for_a_person_outside_the_scope(client, world, people):
    _attendance(people.a, world.ha_b1)
    client.force_login(world.user("auditor", "B"))
    assert client.get(reverse(LOG) + f"?person_id={people.a.pk}").status_code == 404
    assert client.get(reverse("audit_export") + f"?person_id={people.a.pk}").status_code == 404
    page = _page(client, world.user("auditor"), f"?person_id={people.a.pk}")
    assert [r.person for r in page.context["rows"]] == ["甲审计"]
    assert "涉及 甲审计 的记录" in page.content.decode()


def test_another_hospitals_auditor_sees_nothing_of_hospital_a(client, world, people):
    update_person(people.a, {"admin_title": "主任"})
    _attendance(people.a, world.ha_b1)
    response = _page(client, world.user("auditor", "B"), "?person=甲审计")
    assert response.context["rows"] == []
    response = _page(client, world.user("auditor", "B"))
    assert _rows(response) == [] and "甲审计" not in response.content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_fixed_whatever_the_entries_and_filters(client, world, people):
    auditor = world.user("auditor")
    client.force_login(auditor)
    url = reverse(LOG) + "?person=审计&action=@meetings&actor=&date_from=2020-01-01"
    plain = reverse(LOG)

    def grow(n):
        for i in range(n):
            _attendance(people.a if i % 2 else people.a2, world.ha_b1)
            audit.record("login", actor=auditor, obj=auditor, org_path=world.ha.path)

    grow(2)
    client.get(url)  # warm the session and content types
    before = (_queries(client, url), _queries(client, plain))
    grow(10)
    assert (_queries(client, url), _queries(client, plain)) == before


def _sheet(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return book["审计日志"]


def test_export_is_the_filtered_log_in_words_and_audited(client, world, people):
    update_person(people.a, {"admin_title": '=HYPERLINK("http://x")'})
    _attendance(people.a2, world.ha_b2)
    audit.record("person.reveal", obj=people.b, org_path=world.hb_b1.path)  # hospital B
    client.force_login(world.user("auditor"))
    response = client.get(reverse("audit_export") + f"?person={people.a.id_number}")
    assert response.status_code == 200
    assert (
        response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]
    )
    sheet = _sheet(response)
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["时间", "操作人", "操作"] and len(values) == 2
    row = values[1]
    assert row[2:5] == ["修改人员信息", "person.update", "人员"] and row[6] == "甲审计"
    assert row[7] == '行政职务：— → =HYPERLINK("http://x")'
    assert all(c.data_type == "s" for c in sheet[2] if isinstance(c.value, str))
    entry = AuditEntry.objects.get(action="audit.export")
    assert entry.actor == world.user("auditor") and entry.org_path == world.ha.path
    assert entry.summary["entries"] == 1
    assert people.a.id_number not in str(entry.summary)  # the number typed is kept masked
    assert entry.summary["filters"]["person"] == people.a.id_number_masked


def test_another_hospitals_export_has_nothing_of_hospital_a(client, world, people):
    _attendance(people.a, world.ha_b1)
    audit.record("person.reveal", obj=people.b, org_path=world.hb_b1.path)
    client.force_login(world.user("auditor", "B"))
    response = client.get(reverse("audit_export") + "?action=@person")
    values = [[c.value for c in r] for r in _sheet(response).iter_rows()]
    assert [r[3] for r in values[1:]] == ["person.reveal"] and values[1][6] == "丙外院"


@pytest.mark.parametrize("role", ["office", "secretary", "member"])
def test_export_is_for_auditors_only(client, world, role):
    client.force_login(world.user(role))
    assert client.get(reverse("audit_export")).status_code == 403


def test_the_form_keeps_a_chosen_person_and_the_security_view_but_adds_nothing_else(
    client, world, people
):
    auditor = world.user("auditor")
    plain = _page(client, auditor).content.decode()
    assert 'name="person_id"' not in plain and 'name="security"' not in plain
    chosen = _page(client, auditor, f"?person_id={people.a.pk}&security=1").content.decode()
    assert f'name="person_id" value="{people.a.pk}"' in chosen
    assert 'name="security" value="1"' in chosen
