"""`dangjian tasks-due --org CODE`: overdue and due-soon open tasks of a subtree."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from dangjian.tasks import services
from tests.factories import make_member

from .builders import a_list, a_task, evidence

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def tasks(world):
    _, area = a_list(world.ha)
    owner = make_member(world.ha_b1, name="张三")
    a_task(area, world.ha_b1, owners=[owner], title="逾期任务", due=D(2025, 6, 1))
    a_task(area, world.ha_b2, title="将到期任务", due=D(2025, 6, 20))
    a_task(area, world.ha_b2, title="远期任务", due=D(2025, 9, 30))
    done = a_task(area, world.ha_b1, title="已销号任务", due=D(2025, 5, 1))
    services.apply_close(done, summary="完成", files=[evidence()], today=D(2025, 5, 1))
    services.approve_close(done, today=D(2025, 5, 2))
    _, other = a_list(world.hb)
    a_task(other, world.hb_b1, title="乙院任务", due=D(2025, 6, 1))


def _run(*args) -> str:
    out = io.StringIO()
    call_command("tasks-due", *args, stdout=out)
    return out.getvalue()


def test_table_lists_overdue_then_due_soon(world, tasks):
    text = _run("--org", world.ha.code, "--on", "2025-06-10")
    assert "共 2 项，其中已逾期 1 项" in text
    lines = text.splitlines()
    assert "已逾期" in lines[2] and "逾期任务" in lines[2] and "张三" in lines[2]
    assert "将到期" in lines[3] and "将到期任务" in lines[3]
    assert "远期任务" not in text and "已销号任务" not in text and "乙院任务" not in text


def test_json_days_and_a_branch(world, tasks):
    rows = json.loads(_run("--org", world.ha.code, "--on", "2025-06-10", "--days", "120", "--json"))
    assert [(r["title"], r["overdue"]) for r in rows] == [
        ("逾期任务", True), ("将到期任务", False), ("远期任务", False),
    ]  # fmt: skip
    branch = json.loads(_run("--org", world.ha_b1.code, "--on", "2025-06-10", "--json"))
    assert [r["title"] for r in branch] == ["逾期任务"] and branch[0]["owners"] == ["张三"]
    assert "没有到期任务" in _run("--org", world.hb_b2.code, "--on", "2025-06-10")


@pytest.mark.parametrize(
    ("args", "message"),
    [(("--org", "NOPE"), "组织编码不存在"), (("--days", "400"), "天数须为"),
     (("--on", "2025-13-01"), "日期格式")],
)  # fmt: skip
def test_bad_arguments_are_refused(world, args, message):
    full = ("--org", world.ha.code, *args) if args[0] != "--org" else args
    with pytest.raises(CommandError, match=message):
        _run(*full)
