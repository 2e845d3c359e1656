"""The shared smtp_server fixture is a real SMTP server: Django's SMTP backend delivers
to it over the loopback network, and what arrives is what was sent."""

from __future__ import annotations

from django.core import mail


def test_django_mail_reaches_the_loopback_smtp_server(smtp_server, settings):
    settings.DEFAULT_FROM_EMAIL = "namnd@kommun.example"
    sent = mail.send_mail(
        "Kallelse till sammanträde",
        "Välkommen den 10 september.",
        None,
        ["ledamot@kommun.example", "ersattare@kommun.example"],
    )
    assert sent == 1
    [message] = smtp_server.messages
    assert message["Subject"] == "Kallelse till sammanträde"
    assert message["From"] == "namnd@kommun.example"
    assert sorted(message.envelope_to) == ["ersattare@kommun.example", "ledamot@kommun.example"]
    assert "10 september" in message.get_content()
    assert smtp_server.to("ledamot@kommun.example") == [message]
    assert smtp_server.to("någon@annan.example") == []
