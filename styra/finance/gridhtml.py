"""The follow-up grid's unit rows as HTML, written in Python: the unit level of a large
committee has thousands of cells, and the template engine spent most of the page's time
on them (issue 13). The markup is exactly what the template wrote before (the reference
template is in tests/finance/test_gridhtml.py, which compares the two)."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from styra.lib.numbers import format_tkr


def _tkr(value: Decimal | None) -> str:
    return "" if value is None else format_tkr(Decimal(value))


def _deviation(d: Decimal | None) -> str:
    """finance/_deviation.html."""
    if d is None:
        return '<td class="num col-deviation" data-label="Avvikelse"></td>\n'
    state = " dev-neg" if d < 0 else " dev-pos" if d > 0 else ""
    text = format_tkr(Decimal(d), plus=True)
    if d < 0:
        text += '<span class="visually-hidden"> (sämre än budget)</span>'
    elif d > 0:
        text += '<span class="visually-hidden"> (bättre än budget)</span>'
    return f'<td class="num col-deviation{state}" data-label="Avvikelse">{text}</td>\n'


def grid_rows_html(rows: list[dict], *, event, drill: str, can_finance: bool) -> SafeString:
    """The rows of finance/grid.html's unit table (see views._grid_rows)."""
    year = event.year
    head = f"?ar={year}&amp;tom={event.cutoff_period}"
    drill_e = escape(drill)
    node_urls: dict[int, str] = {}
    ledger_urls: dict[int, str] = {}
    out: list[str] = []
    for r in rows:
        unit = r["unit"]
        pk = unit.pk
        level = r["level"]
        label = escape(r["label"])
        f = r["fig"]
        out.append(f'\n    <tr class="level-{level} depth-{r["depth"]}"')
        if level == 0:
            out.append(f' id="rad-{pk}"')
        out.append('>\n      <th scope="row">')
        if level:
            out.append(f'<span class="indent">{label}</span>')
        else:
            if r["has_children"]:
                toggle = escape(r["toggle"])
                is_open = r["open"]
                out.append(
                    f'<a class="tree-toggle" id="vaxla-{pk}" href="{toggle}#rad-{pk}" '
                    f'hx-get="{toggle}" hx-select="#uppfoljning" hx-target="#uppfoljning" '
                    f'hx-swap="outerHTML" hx-push-url="true" '
                    f'aria-expanded="{"true" if is_open else "false"}" '
                    f'aria-label="{"Stäng" if is_open else "Öppna"} {label}: enheterna under">'
                    f'<span aria-hidden="true">{"▾" if is_open else "▸"}</span></a>'
                )
            else:
                out.append('<span class="tree-toggle" aria-hidden="true"></span>')
            url = node_urls.get(pk)
            if url is None:
                url = node_urls[pk] = escape(reverse("node_detail", args=[pk]))
            out.append(f'<a href="{url}">{label}</a>')
        out.append("</th>\n      ")
        out.append(
            f'<td class="num" data-label="Bokslut {year - 1}">{_tkr(f.previous_year)}</td>\n'
            '      <td class="num" data-label="Utfall period">'
        )
        outcome = _tkr(f.outcome)
        key = r.get("key")
        if can_finance and (level == 0 or key):
            url = ledger_urls.get(pk)
            if url is None:
                url = ledger_urls[pk] = escape(reverse("ledger_transactions", args=[pk]))
            if level == 0:
                out.append(
                    f'<a href="{url}{head}{drill_e}" '
                    f'aria-label="{label}: transaktioner bakom utfallet">{outcome}</a>'
                )
            else:
                rad = "other,financial" if key == "other" else escape(key)
                out.append(
                    f'<a href="{url}{head}&amp;rad={rad}{drill_e}" '
                    f'aria-label="{escape(unit.name)}, {label}: transaktioner bakom utfallet">'
                    f"{outcome}</a>"
                )
        else:
            out.append(outcome)
        out.append(
            "</td>\n"
            f'      <td class="num" data-label="Ack. budget">{_tkr(f.budget_to_date)}</td>'
            f'<td class="num" data-label="Budget">{_tkr(f.budget)}</td>\n'
            f'      <td class="num col-forecast" data-label="Prognos">{_tkr(f.forecast)}'
        )
        if f.forecast_missing:
            out.append('<span class="flag"> (saknas)</span>')
        out.append("</td>\n      ")
        out.append(_deviation(f.deviation))
        out.append("\n    </tr>\n  ")
    return mark_safe("".join(out))  # every value above is escaped
