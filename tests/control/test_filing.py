"""The internkontrollplan and the public report of ej verkställda beslut are filed on a
case from the web with one action: the controller finalises (an immutable snapshot), the
secretary attaches the finalised version as the case's next bilaga."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from styra.control import services
from styra.meetings.models import DocumentKind
from styra.reports import services as report_services
from tests.actors import SYSTEM
from tests.control.conftest import person_marks

pytestmark = pytest.mark.django_db


def _user(name):
    return get_user_model().objects.get(username=name)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sn_case(node):
    from styra.meetings.services import case_create

    return case_create(actor=SYSTEM, committee=node("SN"), title="Internkontrollplan 2023")


def _finalise(node, code, report_type):
    from styra.calendar.models import ReportingEvent

    event = ReportingEvent.objects.get(committee=node("SN"), code=code)
    return report_services.report_finalise(
        actor=_user("sn-controller"), committee=node("SN"), event=event, report_type=report_type
    )


def test_the_plan_is_filed_from_its_page_once_finalised(sn_plan, sn_case, client, node):
    sn = node("SN")
    plan_url = reverse("control_plan", args=[sn.pk, 2023])
    post_url = reverse("control_file_on_case", args=[sn.pk, "internkontrollplan", "2023"])

    client.force_login(_user("sn-sekreterare"))
    html = client.get(plan_url).content.decode()
    assert "Rapporten är inte fastställd ännu." in html
    response = client.post(post_url, {"case": sn_case.pk}, follow=True)
    assert "är inte fastställd ännu" in response.content.decode()
    assert not sn_case.documents.exists()

    # the controller sees the way to finalise, not the case list
    client.force_login(_user("sn-controller"))
    html = client.get(plan_url).content.decode()
    assert reverse("report_status", args=[sn.pk, "2023", "internkontrollplan"]) in html
    assert "Bifoga den fastställda rapporten" not in html
    snapshot = _finalise(node, "2023", "internkontrollplan")

    client.force_login(_user("sn-sekreterare"))
    html = client.get(plan_url).content.decode()
    assert f"version {snapshot.version}" in html and sn_case.dnr in html
    response = client.post(post_url, {"case": sn_case.pk})
    assert response.status_code == 302 and response["Location"] == plan_url
    (doc,) = sn_case.documents.all()
    assert doc.kind == DocumentKind.ATTACHMENT and doc.attachment_number == 1
    assert doc.filename.endswith(".pdf") and doc.file.read().startswith(b"%PDF")
    assert doc.title == snapshot.title
    sn_case.refresh_from_db()
    assert sn_case.summary == snapshot.summary_text
    # the same version again replaces nothing and numbers nothing new
    client.post(post_url, {"case": sn_case.pk})
    assert sn_case.documents.count() == 1


def test_the_public_quarterly_report_is_filed_without_personal_data(sn_evb, sn_case, node):
    snapshot = _finalise(node, "2023-K2", "ej-verkstallda")
    assert snapshot.report_type == "ej-verkstallda"
    doc = services.report_file_on_case(
        actor=_user("sn-sekreterare"),
        case=sn_case,
        report_type="ej-verkstallda",
        event_code="2023-K2",
    )
    data = snapshot.data
    for mark in person_marks(sn_evb):
        assert mark not in data, mark
    assert doc.file.read().startswith(b"%PDF")


def test_filing_is_the_secretarys_and_only_on_the_committees_own_case(sn_plan, node):
    from styra.meetings.services import case_create

    _finalise(node, "2023", "internkontrollplan")
    sn_case = case_create(actor=SYSTEM, committee=node("SN"), title="Plan")
    with pytest.raises(PermissionDenied):
        services.report_file_on_case(
            actor=_user("sn-controller"),
            case=sn_case,
            report_type="internkontrollplan",
            event_code="2023",
        )
    avun_case = case_create(actor=SYSTEM, committee=node("AVUN"), title="Plan")
    # AVUN has no finalised plan: nothing of SN's is ever attached to AVUN's case
    with pytest.raises(ValidationError, match="inte fastställd"):
        services.report_file_on_case(
            actor=SYSTEM, case=avun_case, report_type="internkontrollplan", event_code="2023"
        )
    with pytest.raises(ValidationError):
        services.report_file_on_case(
            actor=SYSTEM, case=sn_case, report_type="delarsrapport", event_code="2023"
        )
