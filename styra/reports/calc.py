"""Pure rules of reports: sign convention, generated sentences. No Django.

Every number in a generated sentence comes from the same exact kronor as the tables and is
rounded half up for display, so the prose always agrees with the tables.
"""

from __future__ import annotations

from decimal import Decimal

from styra.lib.money import display_rounded
from styra.lib.numbers import format_mnkr

ZERO = Decimal(0)

# Row labels of the summary tables for each sign convention (DOMAIN §6).
LABELS = {
    "revenue_positive": {
        "revenue": "Intäkter (+)",
        "cost": "Kostnader (-)",
        "staff": "Personal (-)",
        "other": "Övriga kostnader (-)",
        "net": "Netto (+/-)",
        "investments_net": "Nettoinvesteringar (+/-)",
    },
    "cost_positive": {
        "revenue": "Intäkter (-)",
        "cost": "Kostnader (+)",
        "staff": "Personal (+)",
        "other": "Övriga kostnader (+)",
        "net": "Netto (+/-)",
        "investments_net": "Nettoinvesteringar (+/-)",
    },
}


def sign_factor(convention: str) -> int:
    """Stored data is revenue +, cost −; a template may print the opposite."""
    if convention == "revenue_positive":
        return 1
    if convention == "cost_positive":
        return -1
    raise ValueError(f"okänd teckenkonvention {convention!r}")


def signed(kronor: Decimal | None, convention: str) -> Decimal | None:
    if kronor is None:
        return None
    return kronor * sign_factor(convention)


def result_word(deviation: Decimal) -> str:
    """ "överskott", "underskott" or "" (balance) for a deviation in data sign
    (Prognos − Budget, positive = better than budget), judged on the mnkr shown."""
    shown = display_rounded(deviation, "mnkr")
    if shown > 0:
        return "överskott"
    if shown < 0:
        return "underskott"
    return ""


def committee_result_sentence(deviation: Decimal, *, final: bool = False) -> str:
    """ "Nämnden prognostiserar ett överskott på 13,5 mkr." (data sign deviation)."""
    verb = "redovisar" if final else "prognostiserar"
    word = result_word(deviation)
    if not word:
        return f"Nämnden {verb} en budget i balans."
    return f"Nämnden {verb} ett {word} på {format_mnkr(abs(deviation))} mkr."


def unit_result_sentence(name: str, deviation: Decimal, *, final: bool = False) -> str:
    verb = "redovisar" if final else "prognostiserar"
    word = result_word(deviation)
    if not word:
        return f"{name} {verb} en budget i balans."
    return f"{name} {verb} ett {word} på {format_mnkr(abs(deviation))} mkr."


def result_deviation_line(deviation: Decimal, convention: str) -> str:
    """ "Resultatavvikelse: +2,4 mkr", in the sign the tables use."""
    shown = signed(deviation, convention)
    return f"Resultatavvikelse: {format_mnkr(shown, plus=True)} mkr"


def total_sentence(
    forecast: Decimal, budget: Decimal, convention: str, *, year: int, final: bool = False
) -> str:
    """ "Prognosen för 2020 är -255,5 mkr mot en budget på -269,0 mkr, vilket innebär ett
    överskott på 13,5 mkr." Figures in the sign the tables use."""
    deviation = forecast - budget
    word = result_word(deviation)
    what = f"Utfallet för {year}" if final else f"Prognosen för {year}"
    head = (
        f"{what} är {format_mnkr(signed(forecast, convention))} mkr mot en budget på "
        f"{format_mnkr(signed(budget, convention))} mkr"
    )
    if not word:
        return head + ", vilket innebär en budget i balans."
    return head + f", vilket innebär ett {word} på {format_mnkr(abs(deviation))} mkr."


def assumption_line(text: str, amount: Decimal | None, status_label: str) -> str:
    out = text.strip().rstrip(".")
    if amount is not None:
        out += f" ({format_mnkr(amount)} mkr)"
    return f"{out}. Status: {status_label.lower()}."
