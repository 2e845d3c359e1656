"""Kolada API v3 values: parse a file or fetch from the API (pure, no Django).

Shape (docs/formats/kolada.md):

    {"values": [{"kpi": "N00005", "municipality": "0127", "period": 2020,
                 "values": [{"gender": "T", "value": 41.2, "count": 1, "status": ""},
                            {"gender": "K", "value": null, ...}]}],
     "count": 1, "next_url": null}

T / K / M are Totalt / Kvinnor / Män. A null value is missing (never zero). The v2 shape
(the same rows, `period` sometimes a string, paging with `next_page`) is accepted too.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

DEFAULT_BASE_URL = "https://api.kolada.se/v3"
BASE_URL_ENV = "STYRA_KOLADA_URL"
GENDERS = {"T": "T", "K": "K", "M": "M", "F": "M"}  # the v2 README wrote F for men
_KPI = re.compile(r"^[A-Z]\d{5}$")
_MUNICIPALITY = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class KoladaValue:
    kpi: str
    municipality: str
    period: int
    gender: str  # "T", "K", "M"
    value: Decimal | None


class KoladaError(Exception):
    """A file or response that is not Kolada data; the message names where and what."""


class KoladaUnreachable(KoladaError):
    """The API could not be reached (offline, DNS, refused, timeout)."""


def _where(source: str, i: int, j: int | None = None) -> str:
    place = f"{source}: values[{i}]"
    return place if j is None else f"{place}.values[{j}]"


def parse_payload(data: object, source: str = "svaret") -> list[KoladaValue]:
    """Every value of a decoded v3 (or v2) data response. Collects all problems and raises
    one KoladaError listing them."""
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise KoladaError(f'{source}: inte Koladadata: väntade ett JSON-objekt med listan "values"')
    out: list[KoladaValue] = []
    problems: list[str] = []
    for i, row in enumerate(data["values"]):
        if not isinstance(row, dict):
            problems.append(f"{_where(source, i)}: ska vara ett objekt")
            continue
        kpi = str(row.get("kpi") or "").strip().upper()
        municipality = str(row.get("municipality") or "").strip()
        period = row.get("period")
        if not _KPI.match(kpi):
            problems.append(f"{_where(source, i)}: nyckeltalet {row.get('kpi')!r} är ogiltigt")
        if not _MUNICIPALITY.match(municipality):
            problems.append(
                f"{_where(source, i)}: kommunkoden {row.get('municipality')!r} ska ha fyra siffror"
            )
        if isinstance(period, str) and period.isdigit():
            period = int(period)
        if not isinstance(period, int) or isinstance(period, bool) or not 1900 <= period <= 2100:
            problems.append(f"{_where(source, i)}: perioden {row.get('period')!r} är inget år")
            continue
        cells = row.get("values")
        if not isinstance(cells, list):
            problems.append(f'{_where(source, i)}: saknar listan "values"')
            continue
        for j, cell in enumerate(cells):
            if not isinstance(cell, dict):
                problems.append(f"{_where(source, i, j)}: ska vara ett objekt")
                continue
            gender = GENDERS.get(str(cell.get("gender") or "").strip().upper())
            if gender is None:
                problems.append(
                    f"{_where(source, i, j)}: kön {cell.get('gender')!r} ska vara T, K eller M"
                )
                continue
            raw = cell.get("value")
            value: Decimal | None
            if raw is None:
                value = None
            elif isinstance(raw, bool) or not isinstance(raw, int | float | str):
                problems.append(f"{_where(source, i, j)}: värdet {raw!r} är inget tal")
                continue
            else:
                try:
                    # repr of a float is the shortest exact decimal text of what was sent.
                    value = Decimal(repr(raw) if isinstance(raw, float) else str(raw))
                except InvalidOperation:
                    problems.append(f"{_where(source, i, j)}: värdet {raw!r} är inget tal")
                    continue
                if not value.is_finite():
                    problems.append(f"{_where(source, i, j)}: värdet {raw!r} är inget tal")
                    continue
            out.append(KoladaValue(kpi, municipality, period, gender, value))
    if problems:
        raise KoladaError("\n".join(problems))
    return out


def parse_file(path: str | Path) -> list[KoladaValue]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KoladaError(f"{path}: filen finns inte") from exc
    except UnicodeDecodeError as exc:
        raise KoladaError(f"{path}: filen är inte UTF-8-kodad JSON") from exc
    except OSError as exc:
        raise KoladaError(f"{path}: kan inte läsa filen: {exc.strerror}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise KoladaError(
            f"{path}:{exc.lineno}: ogiltig JSON (kolumn {exc.colno}): {exc.msg}"
        ) from exc
    return parse_payload(data, str(path))


def base_url(setting: str | None = None) -> str:
    return (setting or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


def data_url(base: str, kpi: str, municipality: str, years: list[int]) -> str:
    return f"{base}/data/kpi/{kpi}/municipality/{municipality}/year/" + ",".join(
        str(y) for y in years
    )


def parse_years(text: str) -> list[int]:
    """ "2017-2020" -> [2017, 2018, 2019, 2020]; "2019,2020" -> [2019, 2020]."""
    years: list[int] = []
    for part in text.replace(" ", "").split(","):
        m = re.fullmatch(r"(\d{4})(?:[-–](\d{4}))?", part)
        if not m:
            raise ValueError(f"{text!r}: skriv år som 2020, 2017-2020 eller 2019,2020")
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if last < first:
            raise ValueError(f"{text!r}: det sista året ligger före det första")
        years.extend(range(first, last + 1))
    return years


def fetch(
    *, kpi: str, municipality: str, years: list[int], base: str, timeout: float = 15
) -> tuple[list[KoladaValue], list[dict]]:
    """Fetch every page from the API; returns the values and the raw pages."""
    url: str | None = data_url(base, kpi, municipality, years)
    pages: list[dict] = []
    values: list[KoladaValue] = []
    while url:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            raise KoladaError(f"Kolada svarade med fel {exc.code} för {url}") from exc
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise KoladaUnreachable(
                f"Kolada kunde inte nås ({url}): {reason}. Datorn verkar sakna "
                "internetanslutning; hämta filen på en annan dator och läs in den med "
                "`styra kolada import FIL`."
            ) from exc
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise KoladaError(f"{url}: svaret är inte JSON") from exc
        pages.append(data)
        values.extend(parse_payload(data, url))
        url = data.get("next_url") or data.get("next_page") if isinstance(data, dict) else None
    return values, pages
