"""Swedish number formatting in templates: every figure goes through styra.lib.numbers."""

from decimal import Decimal

from django import template

from styra.lib import numbers

register = template.Library()


@register.filter
def tkr(kronor):
    """Kronor shown as whole tkr with Swedish separators."""
    return "" if kronor is None else numbers.format_tkr(Decimal(kronor))


@register.filter
def tkr_signed(kronor):
    return "" if kronor is None else numbers.format_tkr(Decimal(kronor), plus=True)


@register.filter
def mnkr(kronor):
    return "" if kronor is None else numbers.format_mnkr(Decimal(kronor))


@register.filter
def kr(kronor):
    """Kronor with öre."""
    return "" if kronor is None else numbers.format_number(Decimal(kronor), 2)


@register.filter
def ore_report_kr(ore):
    """Ledger öre (debit +) as report-sign kronor (revenue +, cost −)."""
    return "" if ore is None else numbers.format_number(Decimal(-int(ore)).scaleb(-2), 2)


@register.filter
def percent(value, decimals=0):
    return "" if value is None else numbers.format_percent(Decimal(value), int(decimals))


@register.filter
def kronor(value):
    """Whole kronor (or counts) with Swedish separators; decimals kept when present."""
    if value is None:
        return ""
    value = Decimal(value)
    return numbers.format_number(value, 0 if value == value.to_integral_value() else 1)
