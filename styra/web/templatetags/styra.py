"""Swedish number formatting in templates: every figure goes through styra.lib.numbers."""

from decimal import Decimal

from django import template

from styra.lib import money, numbers

register = template.Library()


@register.simple_tag
def submit_token():
    """A one-time token that makes the form's POST idempotent (styra.web.submit.once)."""
    from django.utils.html import format_html

    from styra.web.submit import FIELD, new_token

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


@register.filter
def tkr(kronor):
    """Kronor shown as whole tkr with Swedish separators."""
    return "" if kronor is None else numbers.format_tkr(Decimal(kronor))


@register.filter
def tkr_exact(kronor):
    """Kronor as tkr with the decimals needed to be exact: a form's value, never rounded."""
    return numbers.format_tkr_exact(kronor)


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
    return "" if ore is None else numbers.format_number(money.report_kr(int(ore)), 2)


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


@register.inclusion_tag("web/_export.html", takes_context=True)
def export_link(context, label="Ladda ner tabellerna som Excel (XLSX)"):
    """A link to the same page as an Excel file of its tables (styra.web.xlsx)."""
    request = context.get("request")
    if request is None:
        return {"url": ""}
    query = request.GET.copy()
    query["format"] = "xlsx"
    return {"url": f"{request.path}?{query.urlencode()}", "label": label}
