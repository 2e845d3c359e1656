"""The strict Content-Security-Policy holds in Chromium: every role's main pages (and, for
the administrator, every address of the site) load without a single violation, and htmx
still works under it. The watcher itself is shown to catch a violation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.walk import CAST, all_patterns, collect_samples
from tests.web.browserkit import csp_violations, csp_watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, live_server, username):
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("styra-demo")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(live_server.url + "/")


def _visit(page, live_server, path, console) -> list[str]:
    probe = page.request.get(live_server.url + path)  # the context's session
    assert probe.status < 500, path
    if probe.status == 405 or not probe.headers.get("content-type", "").startswith("text/html"):
        return []  # a form-posting address or a file: no page to check
    response = page.goto(live_server.url + path)
    assert response is not None and response.status < 500, path
    page.wait_for_load_state("load")
    return [f"{path}: {v}" for v in csp_violations(page, console)]


def _menu(page) -> list[str]:
    links = page.get_by_role("navigation", name="Huvudmeny").get_by_role("link")
    return [links.nth(i).get_attribute("href") for i in range(links.count())]


@pytest.mark.parametrize("username", CAST)
def test_each_roles_main_pages_have_no_csp_violation(page, live_server, cast, node, username):
    collect_samples(node)  # a meeting, a report snapshot, a job: the pages have content
    console = csp_watch(page)
    _login(page, live_server, username)
    found = []
    paths = ["/", *_menu(page)]
    assert len(paths) >= 3
    for path in paths:
        found += _visit(page, live_server, path, console)
        console.clear()
    assert found == []


def test_every_address_as_administrator_has_no_csp_violation(page, live_server, cast, node):
    samples = collect_samples(node)
    console = csp_watch(page)
    _login(page, live_server, "admin")
    found, visited = [], 0
    for pattern in all_patterns():
        if pattern.name in ("logout",):
            continue
        kwargs = {p: samples[p][1] for p in pattern.pattern.converters}
        found += _visit(page, live_server, reverse(pattern.name, kwargs=kwargs), console)
        console.clear()
        visited += 1
    assert visited > 50
    assert found == []


def test_public_pages_have_no_csp_violation(page, live_server, node):
    samples = collect_samples(node)
    console = csp_watch(page)
    found = []
    for path in (
        reverse("login"),
        reverse("public_index"),
        reverse("public_meeting", kwargs={"meeting_id": samples["meeting_id"][1]}),
    ):
        found += _visit(page, live_server, path, console)
    assert found == []


def test_htmx_polls_under_the_policy(page, live_server, cast, node):
    """A job's page swaps its progress in with htmx (hx-get every 2 s): the swap happens."""
    from styra.tasks.models import TaskRun

    samples = collect_samples(node)
    run = TaskRun.objects.get(pk=samples["task_id"][1])
    run.status, run.progress = "running", 0.5
    run.save()
    console = csp_watch(page)
    _login(page, live_server, "admin")
    page.goto(live_server.url + reverse("task_detail", kwargs={"task_id": run.pk}))
    with page.expect_response(lambda r: "/" in r.url and r.request.headers.get("hx-request")):
        pass
    assert csp_violations(page, console) == []


def test_the_watcher_sees_a_violation(page, live_server):
    """The check can fail: a page under the site's policy with an inline script and a
    style attribute reports both."""
    from django.conf import settings

    policy = "; ".join(
        f"{k} {' '.join(v)}" for k, v in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"].items()
    )
    page.route(
        live_server.url + "/prov-csp/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": policy},
            body='<!doctype html><p style="color:red">x</p><script>document.title="x"</script>',
        ),
    )
    console = csp_watch(page)
    page.goto(live_server.url + "/prov-csp/")
    found = csp_violations(page, console)
    assert any("script-src" in v for v in found), found
    assert any("style-src" in v for v in found), found
