"""The shared cast (STYLE.md): the demo organisation with one user per role.

controller   controller for the committee AVUN
enhetschef   editor (unit manager) of Jobbcenter (JC)
enhetschef2  editor (unit manager) of Utbildning för vuxna (UFV)
sekreterare  secretary of AVUN
ledamot      reader of AVUN (a member)
admin        administrator of AVUN
anonymous    the public
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

CAST = ["controller", "enhetschef", "enhetschef2", "sekreterare", "ledamot", "admin"]


def pytest_configure(config):
    """A fast password hasher: the production one takes a noticeable fraction of a second
    per password, and every test with the demo organisation sets six of them."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or skip the test with the reason when it is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} saknas: testet läser referensmaterialet i ../shared")
    return path


@pytest.fixture
def demo_org(db):
    return load_demo_org()


def load_demo_org():
    """The demo organisation with the cast's passwords set (DEMO_PASSWORD); the municipality."""
    from django.contrib.auth import get_user_model

    from styra.demo.builder import DATA_DIR, DEMO_PASSWORD
    from styra.org.access import system_actor
    from styra.org.services import org_load

    result = org_load(actor=system_actor("test"), path=DATA_DIR / "org.yaml")
    for user in get_user_model().objects.filter(username__in=CAST):
        user.set_password(DEMO_PASSWORD)
        user.save()
    return result.municipality


@contextmanager
def kept_for_the_module(django_db_blocker, tmp_path_factory):
    """For a module-scoped fixture whose tests build on the same rows: what is made inside
    stays while the module's tests run (each test's own transaction is a savepoint within
    this one, so what a test writes is undone after it) and is rolled back after the last
    test. Not for modules with `transaction=True` tests (they would flush the rows). Stored
    files go where the tests look for them (the worker's media folder, see _media_in_tmp)."""
    from django.db import transaction
    from django.test import override_settings

    media = str(tmp_path_factory.getbasetemp() / "media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def cast(demo_org):
    from django.contrib.auth import get_user_model

    return {u.username: u for u in get_user_model().objects.filter(username__in=CAST)}


@pytest.fixture
def node(demo_org):
    from styra.org.models import OrgNode

    def get(code: str):
        return OrgNode.objects.get(municipality=demo_org, code=code)

    return get


@pytest.fixture(scope="session")
def browser():
    """A real Chromium from Debian, driven by Playwright (never a downloaded browser)."""
    if not Path("/usr/bin/chromium").exists():
        if os.environ.get("CI"):
            pytest.fail(
                "/usr/bin/chromium saknas; `make test` installerar det (scripts/system-deps.sh)"
            )
        pytest.skip("/usr/bin/chromium saknas; kör `make test` som installerar det")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path_factory):
    """Stored files (uploads, report snapshots, case documents) go to a temporary folder,
    never into var/ (and never shared between parallel test workers)."""
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture
def renders(monkeypatch):
    """Every document rendered through styra.documents, as (kind or title, format, whether a
    transaction was open at that moment): files are made outside transactions and locks."""
    from django.db import connection

    from styra import documents

    seen: list[tuple[str, str, bool]] = []
    real = documents.render

    def spy(doc, fmt):
        seen.append((doc.kind or doc.title, fmt, connection.in_atomic_block))
        return real(doc, fmt)

    monkeypatch.setattr(documents, "render", spy)
    return seen


@pytest.fixture
def task_worker(transactional_db):
    """A real task worker in a thread on the test database (tests/tasks/worker.py); call
    .start() when the jobs should begin to run. Stopped at the end of the test."""
    from tests.tasks.worker import WorkerThread

    worker = WorkerThread()
    yield worker
    worker.stop()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on loopback, with Django's mail settings pointed at it.
    `smtp_server.messages` holds every received mail as an email.message.EmailMessage
    (with `.envelope_to`, the RCPT TO addresses). Stopped at the end of the test."""
    from tests.smtp import LoopbackSMTP

    server = LoopbackSMTP()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield server
    server.stop()
