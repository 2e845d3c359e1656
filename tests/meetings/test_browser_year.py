"""Issue 15's "Done when", in Chromium: the secretary goes from an empty year to a
published, justerat protocol without any file or command – roster, sammanträdesordning,
agenda with a reordered item and an uploaded attachment, kallelse sent (the SMTP server
receives it), roll-call with a tjänstgörande ersättare, a paragraph with a recorded vote
(totals computed), the protocol saved once, the draft sent, justering by two members
from their own view, anslag and publication. Then the OParl export of the meeting
validates and carries the vote; the public view shows nothing confidential."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from styra.meetings.models import Delivery, Meeting, Vote

from .browser import axe_clean, login, logout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "Lex Sarah-utredning om 19850101-1234"


def _status(page) -> str:
    return page.get_by_role("status").first.inner_text()


def test_secretary_from_empty_year_to_published_protocol(
    page, live_server, cast, node, settings, smtp_server, tmp_path
):
    settings.STYRA_TODAY = "2021-02-11"
    avun = node("AVUN")
    login(page, live_server, "sekreterare")
    menu = page.get_by_role("navigation", name="Huvudmeny")

    # roster: a term, a party, chair, two members with logins, an ersättare
    menu.get_by_role("link", name="Nämnden").click()
    page.get_by_role("link", name=f"Ledamöter och ersättare – {avun.name}").click()
    page.get_by_label("Mandatperiodens namn").fill("2019–2022")
    page.get_by_label("Börjar").fill("2019-01-01")
    page.get_by_label("Slutar").fill("2022-12-31")
    page.get_by_role("button", name="Spara mandatperiod").click()
    page.get_by_label("Partiets namn").fill("Gröna listan")
    page.get_by_label("Förkortning").fill("GL")
    page.get_by_role("button", name="Spara parti").click()
    roster = [
        ("Ing-Marie Viklund", "Ordförande", "ordforande"),
        ("Lena Ledamot", "Ledamot", "ledamot"),
        ("Per Holmberg", "Ledamot", ""),
        ("Fatima Yilmaz", "Ersättare", ""),
    ]
    for name, post, username in roster:
        page.get_by_label("Namn:", exact=True).fill(name)
        page.get_by_label("Uppdrag:", exact=True).select_option(label=post)
        page.get_by_label("Parti:", exact=True).select_option(label="Gröna listan")
        page.get_by_label("Mandatperiod:", exact=True).select_option(label="2019–2022")
        page.get_by_label("E-post (för kallelser)").fill(
            name.split()[0].lower().replace("-", "") + "@kommun.example"
        )
        page.get_by_label("Inloggning").fill(username)
        page.get_by_role("button", name="Lägg till uppdrag").click()
        expect(page.get_by_role("rowheader", name=name)).to_be_visible()

    # the chair's new login gets its password from the administrator (not the secretary)
    from django.contrib.auth import get_user_model

    chair_user = get_user_model().objects.get(username="ordforande")
    chair_user.set_password("styra-demo")
    chair_user.save()

    # the year's sammanträdesordning
    page.goto(live_server.url + f"/namnden/{avun.pk}/sammantradesordning/?ar=2021")
    page.get_by_label("År:", exact=True).fill("2021")
    page.get_by_role("textbox", name="Sammanträdesdagar").fill("2021-02-11\n2021-03-18")
    page.get_by_label("Tid:", exact=True).fill("18:00")
    page.get_by_label("Plats:", exact=True).fill("Kommunhuset")
    page.get_by_role("button", name="Spara sammanträdesordningen").click()
    page.get_by_role("link", name="2021-02-11 18:00").click()

    # agenda: standard items, three items, one moved up, an uploaded attachment
    page.get_by_role("button", name="Lägg till inledande punkter").click()
    for kind, title, secret in [
        ("Beslutsärende", "Yttrande över motion om simskola", False),
        ("Informationsärende", "Information om vuxenutbildningen", False),
        ("Anmälningsärende", SECRET, True),
    ]:
        page.get_by_label("Typ:", exact=True).select_option(label=kind)
        page.get_by_label("Rubrik").fill(title)
        if secret:
            page.get_by_label("Sekretessdelen").check()
        page.get_by_role("button", name="Lägg till", exact=True).click()
        expect(page.get_by_role("status").first).to_contain_text("är tillagd")
    page.get_by_role("button", name=re.compile(r"^Upp\s*: Information om vuxen")).click()
    rows = page.get_by_role("rowheader").all_inner_texts()
    assert rows.index("Information om vuxenutbildningen") < rows.index(
        "Yttrande över motion om simskola"
    )
    attachment = tmp_path / "budgetunderlag.pdf"
    attachment.write_bytes(b"%PDF-1.7\n% underlag\n")
    page.get_by_label("Fil:", exact=True).set_input_files(str(attachment))
    page.get_by_label("Offentlighet").select_option(label="Offentlig")
    page.get_by_role("button", name="Ladda upp", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("är uppladdad")
    axe_clean(page)

    # kallelse: made and sent; the SMTP server receives it
    page.get_by_role("button", name="Skapa kallelse").click()
    page.get_by_role("button", name="Skicka kallelsen").click()
    expect(page.get_by_role("status").first).to_contain_text("skickat")
    received = smtp_server.to("lena@kommun.example")
    assert len(received) == 1 and "Kallelse" in received[0]["Subject"]
    assert any(p.get_filename().endswith(".pdf") for p in received[0].iter_attachments())
    assert Delivery.objects.filter(kind="notice", sent_at__isnull=False).count() == 4

    # roll-call: Per absent, Fatima serves for him from the vote's paragraph
    page.get_by_role("link", name="Protokoll", exact=True).click()
    page.get_by_role("button", name="Upprätta protokoll").click()
    meeting = Meeting.objects.get(committee=avun, start__date="2021-02-11")
    motion = meeting.paragraphs.get(title__startswith="Yttrande")
    page.get_by_role("link", name="Upprop: närvaro och justerare").click()
    page.get_by_label("Närvaro för Per Holmberg").select_option(label="Frånvarande")
    page.get_by_label("Närvaro för Fatima Yilmaz").select_option(label="Tjänstgörande ersättare")
    page.get_by_label("Fatima Yilmaz ersätter").select_option(label="Per Holmberg")
    page.get_by_role("button", name="Spara närvaron").click()
    expect(page.get_by_role("status").first).to_contain_text("Närvaron är sparad")
    page.get_by_role("checkbox", name="Ing-Marie Viklund").check()
    page.get_by_role("checkbox", name="Lena Ledamot").check()
    page.get_by_role("button", name="Spara justerare").click()
    axe_clean(page)

    # the vote on the motion: totals computed from the votes
    page.get_by_role("link", name="Protokoll").last.click()
    page.get_by_role("link", name=f"Omröstning i § {motion.number}").click()
    page.get_by_label("Ja-proposition").fill("Bifall till förvaltningens förslag")
    page.get_by_label("Nej-proposition").fill("Avslag")
    for name, vote in [
        ("Ing-Marie Viklund", "Ja"),
        ("Lena Ledamot", "Nej"),
        ("Fatima Yilmaz", "Ja"),
    ]:
        page.get_by_role("group", name=name).get_by_label(vote).check()
    page.get_by_role("button", name="Spara omröstningen").click()
    expect(page.get_by_role("status").first).to_contain_text("2 ja, 1 nej, 0 avstår")
    assert Vote.objects.get(paragraph=motion).outcome == "ja"
    axe_clean(page)

    # the whole protocol saved once, then the draft to the justerare
    page.get_by_role("link", name="Protokoll").last.click()
    for p in meeting.paragraphs.all():
        page.locator(f"#id_p{p.pk}-decision").fill(f"Beslut i § {p.number}.")
    page.get_by_role("button", name="Spara protokollet").click()
    expect(page.get_by_role("status").first).to_contain_text("Protokollet är sparat")
    page.get_by_role("button", name="Skicka utkastet till justerarna").click()
    expect(page.get_by_role("status").first).to_contain_text("Utkastet är skickat")
    draft = smtp_server.to("ingmarie@kommun.example")[-1]
    assert sorted(p.get_filename().rsplit(".", 1)[1] for p in draft.iter_attachments()) == [
        "docx",
        "pdf",
    ]
    axe_clean(page)
    logout(page)

    # justering by the two members, from their own view, at the end of the text
    for username in ("ledamot", "ordforande"):
        login(page, live_server, username)
        page.get_by_role("navigation", name="Huvudmeny").get_by_role(
            "link", name="Mina sammanträden"
        ).click()
        page.get_by_role("link", name="2021-02-11 18:00").click()
        expect(page.get_by_text(SECRET)).to_be_visible()  # justerare read the sekretessdel
        page.get_by_role("link", name="Läs och justera protokollet").click()
        page.get_by_label("Jag har läst protokollet").check()
        axe_clean(page)
        page.get_by_role("button", name="Justera protokollet").click()
        expect(page.get_by_role("status").first).to_contain_text("Du har justerat")
        logout(page)

    # anslag and publication
    login(page, live_server, "sekreterare")
    page.goto(live_server.url + f"/sammantraden/{meeting.pk}/protokoll/")
    page.get_by_label("Anslaget uppsatt (datum)").fill("2021-02-11")
    page.get_by_role("button", name="Anslå justeringen").click()
    page.get_by_role("button", name="Publicera protokollet").click()
    expect(page.get_by_role("status").first).to_contain_text("publicerat")
    logout(page)

    # the public view: the vote, nothing confidential
    page.goto(live_server.url + f"/offentligt/sammantrade/{meeting.pk}/")
    content = page.content()
    assert "Yttrande över motion om simskola" in content
    assert SECRET not in content and "19850101" not in content

    # OParl: the agenda item carries the vote extension, valid against its schema
    anonymous = Client()
    item = meeting.items.get(title__startswith="Yttrande")
    data = json.loads(anonymous.get(f"/oparl/agendaitem/{item.pk}/").content)
    vote = data["styra:vote"][0]
    assert (vote["yes"], vote["no"], vote["abstain"], vote["result"]) == (2, 1, 0, "yes")
    assert SECRET not in json.dumps(
        json.loads(anonymous.get(f"/oparl/meeting/{meeting.pk}/").content), ensure_ascii=False
    )
