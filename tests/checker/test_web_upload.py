"""The checker's web page: upload a report, see the findings (Django test client)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

REPORT = (
    "Belopp i tkr\tBudget 2020\tPrognos helår 2020\tAvvikelse 2020\n"
    "Enhet A\t-100\t-90\t10\n"
    "Enhet B\t-200\t-150\t50\n"
    "Total\t-300\t-250\t70\n"
)


@pytest.mark.django_db
def test_upload_shows_findings(client, cast):
    client.force_login(cast["ledamot"])
    upload = SimpleUploadedFile("rapport.txt", REPORT.encode(), content_type="text/plain")
    response = client.post(reverse("check_upload"), {"rapport": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "rapport.txt" in html
    assert "70" in html and "50" in html  # found 70; Prognos − Budget gives 50


@pytest.mark.django_db
def test_upload_of_junk_gives_a_clear_error(client, cast):
    client.force_login(cast["ledamot"])
    upload = SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 trasig", content_type="application/pdf")
    response = client.post(reverse("check_upload"), {"rapport": upload})
    assert response.status_code == 400
    assert "Kan inte kontrollera filen" in response.content.decode()
