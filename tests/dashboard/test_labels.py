"""Figures as people read them: percentages, yuan with separators, counts with
separators, `—` where there is no data; never a raw float."""

import re
from decimal import Decimal

import pytest

from dangjian.dashboard.labels import LABELS, format_value

RAW_FLOAT = re.compile(r"\d\.\d{3,}")


@pytest.mark.parametrize(
    "key, value, shown",
    [
        ("dues.on_time_rate", 0.8911745189117452, "89.1%"),
        ("branches.dual_leader_ratio", 1.0, "100.0%"),
        ("development.admitted_talent_share", 0.25, "25.0%"),
        ("meetings.compliance_ratio", None, "—"),  # a ratio over nothing
        ("dues.collected", Decimal("123456.5"), "123,456.50"),
        ("dues.collected", 0, "0.00"),
        ("members.total", 24411, "24,411"),
        ("members.total", 0, "0"),
        ("decisions.total", None, "—"),
    ],
)
def test_each_kind_of_figure_is_formatted(key, value, shown):
    assert format_value(key, value) == shown


@pytest.mark.parametrize("key", sorted(LABELS))
def test_no_figure_ever_prints_a_raw_float(key):
    assert not RAW_FLOAT.search(format_value(key, 0.123456789))
    assert not RAW_FLOAT.search(format_value(key, 1234.56789))
