"""styra user create | password | grant | revoke | list."""

from __future__ import annotations

import getpass
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from styra.command import Fel, StyraCommand
from styra.org.models import OrgNode, Role, RoleGrant


class Command(StyraCommand):
    help = "Användare och roller: skapa konton, byt lösenord, ge och ta bort roller."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        create = sub.add_parser("create", help="Skapa ett användarkonto.")
        create.add_argument("username", metavar="ANVÄNDARNAMN")
        create.add_argument("--name", default="", help="namn som visas")
        create.add_argument("--email", default="")
        password = sub.add_parser(
            "password",
            help="Sätt lösenord (frågar om det); kontrolleras mot de inställda lösenordsreglerna.",
        )
        password.add_argument("username", metavar="ANVÄNDARNAMN")
        password.add_argument(
            "--stdin", action="store_true", help="läs lösenordet från standard in (för skript)"
        )
        for verb, text in (
            ("grant", "Ge en roll på en enhet (gäller allt under den)."),
            ("revoke", "Ta bort en roll."),
        ):
            p = sub.add_parser(verb, help=text)
            p.add_argument("username", metavar="ANVÄNDARNAMN")
            p.add_argument("--node", required=True, help="enhetens kod, t.ex. AVUN eller JC")
            p.add_argument("--role", required=True, choices=Role.values, help="roll")
        sub.add_parser("list", help="Lista användare och roller.")

    def handle(self, *args, action, **o):
        User = get_user_model()
        if action == "list":
            for user in User.objects.order_by("username"):
                grants = ", ".join(
                    f"{g.get_role_display()} på {g.node.code}"
                    for g in RoleGrant.objects.filter(user=user).select_related("node")
                )
                self.stdout.write(f"{user.username:<16} {user.first_name:<28} {grants or '–'}")
            return
        if action == "create":
            # The name as Django will store it (NFKC), checked by the model's own rules.
            username = User.normalize_username(o["username"])
            fields = (
                (User.USERNAME_FIELD, username, "Användarnamnet"),
                ("first_name", o["name"], "Namnet"),
                ("email", o["email"], "E-postadressen"),
            )
            with translation.override("sv"):
                for field, value, label in fields:
                    try:
                        User._meta.get_field(field).clean(value, None)
                    except ValidationError as exc:
                        message = f"{label} {value!r} godtas inte: " + " ".join(exc.messages)
                        raise Fel(message, returncode=2) from None
            if User.objects.filter(username=username).exists():
                raise Fel(f"{username} finns redan.", returncode=1)
            user = User.objects.create_user(username, email=o["email"], first_name=o["name"])
            user.set_unusable_password()
            user.save()
            self.stdout.write(
                f"{user.username} skapad. Sätt lösenord med: styra user password {user.username}"
            )
            return
        user = User.objects.filter(username=o["username"]).first()
        if user is None:
            raise Fel(f"Användaren {o['username']} finns inte.", returncode=2)
        if action == "password":
            if o["stdin"]:
                first = second = sys.stdin.readline().rstrip("\r\n")
            else:
                try:
                    first = getpass.getpass("Nytt lösenord: ")
                    second = getpass.getpass("Upprepa: ")
                except EOFError:
                    message = "Inget lösenord angavs (standard in är stängd)."
                    raise Fel(message, returncode=2) from None
            if first != second:
                raise Fel("Lösenorden skiljer sig åt.", returncode=2)
            with translation.override("sv"):
                try:
                    validate_password(first, user)
                except ValidationError as exc:
                    raise Fel(
                        "Lösenordet godtas inte: " + " ".join(exc.messages), returncode=1
                    ) from None
            user.set_password(first)
            user.save()
            self.stdout.write("Lösenordet är bytt.")
            return
        nodes = list(OrgNode.objects.filter(code=o["node"])[:2])
        if len(nodes) != 1:
            raise Fel(f"Hittar ingen entydig enhet med koden {o['node']}.", returncode=2)
        if action == "grant":
            RoleGrant.objects.get_or_create(user=user, node=nodes[0], role=o["role"])
            self.stdout.write(f"{user.username}: {Role(o['role']).label} på {nodes[0].name}.")
        else:
            RoleGrant.objects.filter(user=user, node=nodes[0], role=o["role"]).delete()
            self.stdout.write(
                f"{user.username}: rollen {Role(o['role']).label} på {nodes[0].name} borttagen."
            )
