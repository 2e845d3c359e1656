"""Bad request values never give a traceback: every URL, opened by the administrator, with
every GET and POST parameter name its view module reads set to a value that is not what
the page expects (text where an id or a year goes): all at once, and each one alone where
the page has that field. A page answers with a message, 400,
403, 404 or a redirect; a 500 (an exception in the view) fails the test and names the URL
and the parameter."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.walk import all_patterns, collect_samples

pytestmark = pytest.mark.django_db

_NAME = re.compile(r"""(?:POST|post|GET)(?:\.get\(|\[)\s*["']([A-Za-z0-9_-]+)["']""")
BAD = "x1'"
# Pages that pick the action by the presence of one field and the object by another: the
# pair is posted as well (a single field alone never reaches the lookup).
PAIRS = {"control_unexecuted": [{"finish": "1", "decision": BAD}]}


def _names(module_name: str) -> list[str]:
    """The literal parameter names the view's module reads from request.GET / POST."""
    path = Path(importlib.import_module(module_name).__file__)
    return sorted(set(_NAME.findall(path.read_text(encoding="utf-8"))))


def _call(client, method, url, data):
    try:
        response = getattr(client, method)(url, data)
    except Exception as exc:  # the view raised: the person would have seen a 500
        return f"{type(exc).__name__}: {exc}"
    if response.status_code >= 500:
        return f"status {response.status_code}"
    return None


def test_odd_request_values_never_raise(client, cast, node):
    client.force_login(cast["admin"])
    samples = collect_samples(node)
    problems = []
    for pattern in all_patterns():
        params = list(pattern.pattern.converters)
        url = reverse(pattern.name, kwargs={p: samples[p][1] for p in params})
        names = _names(pattern.callback.__module__)
        if not names:
            continue
        everything = dict.fromkeys(names, BAD)
        page = client.get(url)
        html = ""
        if page.status_code == 200 and not page.streaming:
            html = page.content.decode(errors="replace")
        # Each field alone where the page has it (or on an address that only takes POST).
        alone = [n for n in names if not html or f'name="{n}"' in html]
        for method, data in (
            [("get", everything), ("post", everything)]
            + [("post", {name: BAD}) for name in alone]
            + [("post", pair) for pair in PAIRS.get(pattern.name, [])]
        ):
            problem = _call(client, method, url, data)
            if problem:
                problems.append(f"{method.upper()} {url} {sorted(data)}: {problem}")
    assert not problems, "\n".join(problems)
