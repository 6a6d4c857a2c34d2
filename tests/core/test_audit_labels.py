"""Every action code the source writes to the audit log has a Chinese label, found by
walking the source: a call of `audit.record` or of any function that takes an `action`
and passes it on (audit_read, audited_download, read_subtree, …), and the defaults of
such parameters. A new action without a label fails here."""

import ast
from pathlib import Path

import pytest

from dangjian.core import audit_labels as labels

SRC = Path(__file__).resolve().parents[2] / "src" / "dangjian"
# Written by a data migration (core/0002), not by a call the walk finds.
WRITTEN_ELSEWHERE = {"audit.rekey"}


def _strings(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def _takers(trees) -> tuple[dict, set]:
    """Functions with an `action` parameter (its position, None if keyword-only) and the
    codes given as that parameter's default."""
    takers, defaults = {}, set()
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            args = node.args
            positional = [a.arg for a in args.posonlyargs + args.args]
            named = positional + [a.arg for a in args.kwonlyargs]
            if "action" not in named:
                continue
            takers[node.name] = positional.index("action") if "action" in positional else None
            pairs = list(zip(reversed(args.args), reversed(args.defaults), strict=False))
            pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True) if d]
            defaults |= {s for arg, d in pairs if arg.arg == "action" for s in _strings(d)}
    return takers, defaults


def action_codes() -> set[str]:
    trees = [ast.parse(path.read_text()) for path in SRC.rglob("*.py")]
    takers, codes = _takers(trees)
    for tree in trees:
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in takers:
                continue
            given = [kw.value for kw in node.keywords if kw.arg == "action"]
            position = takers[name]
            if position is not None and len(node.args) > position:
                given.append(node.args[position])
            codes |= {s for value in given for s in _strings(value)}
    return codes


def test_the_walk_finds_the_actions_passed_on_by_helpers():
    codes = action_codes()
    # audit.record itself, audit_read (second argument), audited_download (keyword),
    # read_subtree (fourth), a conditional, and a parameter's default.
    expected = {"person.update", "dues.person", "meeting.export", "api.dues.bills",
                "otp.enrol", "otp.verify", "org.dissolve"}  # fmt: skip
    assert expected <= codes
    assert len(codes) > 100


def test_every_action_in_the_source_has_a_chinese_label():
    missing = sorted((action_codes() | WRITTEN_ELSEWHERE) - labels.ACTION_LABELS.keys())
    assert not missing, f"audit actions without a label in core/audit_labels.py: {missing}"


def test_each_action_is_in_one_group_only():
    seen = [code for _key, _group, codes in labels.ACTION_GROUPS for code in codes]
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize(
    ("object_type", "label"),
    [("people.person", "人员"), ("orgs.organization", "党组织"), ("accounts.user", "用户"),
     ("tasks.worktask", "任务"), ("backup", "备份"), ("", "")],
)  # fmt: skip
def test_object_types_read_as_their_models_verbose_names(object_type, label):
    assert labels.object_type_label(object_type) == label


def test_every_summary_choice_names_a_field_with_choices():
    for action, keys in labels.SUMMARY_CHOICES.items():
        assert action in labels.ACTION_LABELS
        for where in keys.values():
            object_type, name = where.rsplit(".", 1)
            assert labels._field(object_type, name).choices, where


def test_changed_fields_by_verbose_name_and_choices_by_label():
    assert labels.field_label("people.person", "professional_title") == "职称"
    assert labels.field_value("people.person", "employment", "retired") == "离退休"
    assert labels.field_label("dues.duesbase", "base") == "月交纳基数"
    assert labels.field_value("people.person", "is_department_head", True) == "是"
    assert labels.field_value("people.person", "admin_title", "") == "—"
    assert labels.field_label("people.person", "no_such_field") == "no_such_field"
