"""`dangjian bulletin` (SPEC.md §4b): its laggards are exactly the organisations that
`dangjian check --on` the day after the period reports, each with check's messages; the
best branches are praised with what they did; the .docx opens with all of it."""

import datetime as dt
import io
import json
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx import Document

from dangjian.assessment.bulletin import build_bulletin
from dangjian.assessment.rules import parse_period
from tests.assessment.scenario import known_gaps

D = dt.date


def check_by_org(code: str, on: str) -> dict[str, list[str]]:
    out = io.StringIO()
    call_command("check", "--org", code, "--on", on, "--json", stdout=out)
    reported: dict[str, list[str]] = defaultdict(list)
    for row in json.loads(out.getvalue()):
        reported[row["org"]].append(row["message"])
    return reported


def docx_text(path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_laggards_are_exactly_what_check_reports_with_its_reasons(world):
    known_gaps(world)
    bulletin = build_bulletin(world.ha, parse_period("2024-Q1"))
    reported = check_by_org(world.ha.code, "2024-04-01")
    assert {lag.code: sorted(lag.reasons) for lag in bulletin.laggards} == {
        code: sorted(messages) for code, messages in reported.items()
    }
    ha_b1 = next(lag for lag in bulletin.laggards if lag.code == "HA-B1")
    kinds = {f.kind for f in ha_b1.findings}
    assert {"branch_too_small", "meetings_missing", "task_overdue"} <= kinds
    assert "HA-B2" not in reported


def test_the_branch_that_did_everything_is_praised_with_what_it_did(world):
    known_gaps(world)
    bulletin = build_bulletin(world.ha, parse_period("2024-Q1"))
    assert [p.organization.code for p in bulletin.praised] == ["HA-B2"]
    deeds = "；".join(bulletin.praised[0].deeds)
    assert "共 5 次" in deeds  # one assembly, one lecture, three theme days
    assert "志愿服务 1 场、服务群众 40 人次" in deeds
    assert [t.title for t in bulletin.overdue] == ["完成支部品牌创建方案"]


def test_a_later_quarter_judges_what_stood_then(world):
    """The first quarter's gaps are still check's on 1 July (every period ended by then
    counts), and a branch that missed the second quarter is no longer praised."""
    known_gaps(world)
    bulletin = build_bulletin(world.ha, parse_period("2024-H1"))
    assert "HA-B2" in {lag.code for lag in bulletin.laggards}
    assert bulletin.praised == []
    reported = check_by_org(world.ha.code, "2024-07-01")
    assert {lag.code for lag in bulletin.laggards} == set(reported)


def test_command_writes_a_docx_with_figures_praise_laggards_and_tasks(world, tmp_path):
    known_gaps(world)
    target = tmp_path / "通报.docx"
    out = io.StringIO()
    call_command(
        "bulletin", "--org", world.ha.code, "--period", "2024-Q1", "-o", str(target), stdout=out
    )
    reported = check_by_org(world.ha.code, "2024-04-01")
    assert f"通报 {len(reported)} 个党组织" in out.getvalue()
    text = docx_text(target)
    assert "2024年第一季度" in text and "党政管理通报" in text
    assert "组织生活按期开展率" in text
    assert "HA行政党支部：按期开展" in text
    for message in (m for messages in reported.values() for m in messages):
        assert message in text
    assert "完成支部品牌创建方案" in text and "2024-03-15" in text


@pytest.mark.parametrize(
    ("org", "period", "message"),
    [
        ("HA", "2024-Q5", "通报期间格式应为 2024-Q1、2024-H1 或 2024：2024-Q5"),
        ("HA", "24Q1", "通报期间格式应为"),
        ("NOPE", "2024-Q1", "组织编码不存在：NOPE"),
        ("HA", "2099", "2099年度尚未结束，不能生成通报"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(world, tmp_path, org, period, message):
    target = tmp_path / "通报.docx"
    with pytest.raises(CommandError, match=message):
        call_command("bulletin", "--org", org, "--period", period, "-o", str(target))
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
