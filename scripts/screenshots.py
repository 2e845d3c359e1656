"""Screenshots of the daily pages at 1366 and 390 px for docs/images/ (issue 14).

Run against a served demo (`make demo`, or `styra demo` on another port):

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 docs/images [NAME ...]

Logs in as the demo's controllers and unit manager (password styra-demo) with Debian's
Chromium and saves start, follow-up, forecast form, administration pages (investments, staff,
the organisation) and the city's forms (AMN) at both widths; NAME … takes only those
pictures."""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = [
    ("controller", "start", "/"),
    ("controller", "uppfoljning", "/ekonomi/{AVUN}/uppfoljning/?handelse=2020-D2&oppna={JC}"),
    ("enhetschef", "start-enhetschef", "/"),
    ("enhetschef", "prognos", "/ekonomi/{JC}/prognos/2020-D2/"),
    ("controller", "administration-investeringar", "/administration/{AVUN}/investeringar/"),
    ("controller", "administration-personal", "/administration/{AVUN}/personal/?ar=2020"),
    ("admin", "organisation-andra", "/organisation/{JC}/andra/"),
    ("amn-controller", "blanketter", "/blanketter/{AMN}/2021/"),
    ("amn-controller", "resultatenhet", "/blanketter/resultatenhet/{JTK}/2021/"),
    # A unit text with a wrong figure typed (the live warning beside it), the goal analyses,
    # and the volumes the unit manager enters.
    (
        "enhetschef",
        "rapporttext",
        "/rapporter/{JC}/2020-D2/delarsrapport/text/analys/",
        "Jobbcenter gör ett överskott på 0,9 mkr genom vakanser.",
    ),
    ("enhetschef", "malanalys", "/mal/{JC}/registrera/?rapport=2020-D2#analyser"),
    ("enhetschef", "volymer", "/ekonomi/{JC}/volymer/?handelse=2020-D2"),
]
WIDTHS = (1366, 390)


def main(base: str, out: Path, only: set[str] | None = None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        pages = [p for p in PAGES if not only or p[1] in only]
        for user in sorted({p[0] for p in pages}):
            for width in WIDTHS:
                page = browser.new_page(viewport={"width": width, "height": 900}, locale="sv-SE")
                page.goto(base + "/logga-in/")
                page.get_by_label("Användarnamn").fill(user)
                page.get_by_label("Lösenord").fill("styra-demo")
                page.get_by_role("button", name="Logga in").click()
                page.goto(base + "/organisation/")
                ids = {}
                for code, name in (
                    ("AVUN", "Arbetsmarknads- och vuxenutbildningsnämnden"),
                    ("JC", "Jobbcenter"),
                    ("AMN", "Arbetsmarknadsnämnden"),
                    ("JTK", "Jobbtorg Kista"),
                ):
                    link = page.get_by_role("link", name=name, exact=True).first
                    if link.count():
                        ids[code] = link.get_attribute("href").rstrip("/").rsplit("/", 1)[-1]
                for who, name, path, *typed in pages:
                    if who != user:
                        continue
                    try:
                        url = base + path.format(**ids)
                    except KeyError:
                        continue
                    page.goto(url)
                    if typed:  # typed into the page's text box; the live check answers
                        page.get_by_role("textbox", name="Text").fill(typed[0])
                        page.locator(".text-warnings").wait_for(timeout=20000)
                    target = out / f"{name}-{width}.png"
                    page.screenshot(path=str(target), full_page=False)
                    print(target, page.evaluate("document.documentElement.scrollWidth"), width)
                page.close()
        browser.close()


if __name__ == "__main__":
    main(
        sys.argv[1].rstrip("/"),
        Path(sys.argv[2] if len(sys.argv) > 2 else "docs/images"),
        set(sys.argv[3:]) or None,
    )
