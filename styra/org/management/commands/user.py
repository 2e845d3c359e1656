"""styra user create | password | grant | revoke | list."""

from __future__ import annotations

import getpass

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from styra.command import StyraCommand
from styra.org.models import OrgNode, Role, RoleGrant


class Command(StyraCommand):
    help = "Användare och roller: skapa konton, byt lösenord, ge och ta bort roller."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ÅTGÄRD")
        create = sub.add_parser("create", help="Skapa ett användarkonto.")
        create.add_argument("username", metavar="ANVÄNDARNAMN")
        create.add_argument("--name", default="", help="namn som visas")
        create.add_argument("--email", default="")
        password = sub.add_parser("password", help="Sätt lösenord (frågar om det).")
        password.add_argument("username", metavar="ANVÄNDARNAMN")
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
            if User.objects.filter(username=o["username"]).exists():
                raise CommandError(f"{o['username']} finns redan.", returncode=1)
            user = User.objects.create_user(o["username"], email=o["email"], first_name=o["name"])
            user.set_unusable_password()
            user.save()
            self.stdout.write(
                f"{user.username} skapad. Sätt lösenord med: styra user password {user.username}"
            )
            return
        user = User.objects.filter(username=o["username"]).first()
        if user is None:
            raise CommandError(f"Användaren {o['username']} finns inte.", returncode=2)
        if action == "password":
            first = getpass.getpass("Nytt lösenord: ")
            if first != getpass.getpass("Upprepa: ") or len(first) < 8:
                raise CommandError(
                    "Lösenorden skiljer sig eller är kortare än 8 tecken.", returncode=2
                )
            user.set_password(first)
            user.save()
            self.stdout.write("Lösenordet är bytt.")
            return
        nodes = list(OrgNode.objects.filter(code=o["node"])[:2])
        if len(nodes) != 1:
            raise CommandError(f"Hittar ingen entydig enhet med koden {o['node']}.", returncode=2)
        if action == "grant":
            RoleGrant.objects.get_or_create(user=user, node=nodes[0], role=o["role"])
            self.stdout.write(f"{user.username}: {Role(o['role']).label} på {nodes[0].name}.")
        else:
            RoleGrant.objects.filter(user=user, node=nodes[0], role=o["role"]).delete()
            self.stdout.write(
                f"{user.username}: rollen {Role(o['role']).label} på {nodes[0].name} borttagen."
            )
