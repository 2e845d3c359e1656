"""styra api token: make an API key for a person (setup and automation)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from styra.command import StyraCommand

from ...services import token_create


class Command(StyraCommand):
    help = "Läs-API:t: skapa en API-nyckel åt en användare (nyckeln skrivs ut en gång)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="åtgärder")
        token = sub.add_parser("token", help="skapa en API-nyckel åt en användare")
        token.add_argument("--user", required=True, help="användarnamnet")
        token.add_argument("--name", required=True, help="vad nyckeln används till")

    def handle(self, *args, action, user, name, **o):
        self.require_database()
        person = get_user_model().objects.filter(username=user).first()
        if person is None:
            self.usage(f"Användaren {user!r} finns inte.")
        _, key = token_create(actor=self.actor, user=person, name=name)
        self.stdout.write(key)
