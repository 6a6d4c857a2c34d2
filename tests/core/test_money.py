"""Amounts of money on the pages: `{{ amount|yuan }}` (core/templatetags/money.py)."""

from decimal import Decimal

from django.template import Context, Template


def test_amounts_of_money_read_with_separators_and_two_decimals():
    template = Template("{% load money %}{{ a|yuan }} {{ b|yuan }} {{ c|yuan }}")
    shown = template.render(Context({"a": Decimal("1234567.5"), "b": 45, "c": None}))
    assert shown == "1,234,567.50 45.00 —"
