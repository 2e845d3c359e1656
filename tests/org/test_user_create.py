"""A new account from the roles page: its e-mail address is the one single sign-on matches,
so two accounts may not share it (the provider's login would then refuse both)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from styra.org.services import user_create

pytestmark = pytest.mark.django_db

PASSWORD = "Bra-lösenord-2026"


def test_a_taken_email_address_is_refused_and_nothing_is_stored(cast, node):
    taken = cast["controller"].email.upper()
    with pytest.raises(ValidationError, match="används redan"):
        user_create(
            actor=cast["admin"], node=node("JC"), role="reader", username="ny1",
            first_name="Ny", last_name="Person", email=f" {taken} ", password=PASSWORD,
        )  # fmt: skip
    assert not get_user_model().objects.filter(username="ny1").exists()
    user = user_create(
        actor=cast["admin"], node=node("JC"), role="reader", username="ny1",
        first_name="Ny", last_name="Person", email="ny1@demo.styra.se", password=PASSWORD,
    )  # fmt: skip
    assert user.role_grants.get().role == "reader"
    two = user_create(
        actor=cast["admin"], node=node("JC"), role="reader", username="ny2",
        first_name="", last_name="", email="", password=PASSWORD,
    )  # fmt: skip
    assert two.email == ""  # no address: nothing to match, never refused
