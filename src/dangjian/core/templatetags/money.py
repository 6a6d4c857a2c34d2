"""`{{ amount|yuan }}`: an amount of money as Party offices write it, two decimals with
thousands separators (12,345.00), whatever the locale (zh-Hans groups no digits); "—"
for no amount. `{{ count|count }}`: a whole number with separators (12,345)."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        return f"{Decimal(str(value)):,.2f}"
    except InvalidOperation:
        return str(value)


@register.filter
def count(value) -> str:
    if value is None or value == "":
        return "—"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
