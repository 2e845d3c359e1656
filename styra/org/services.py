"""Writes to the organisation (HackSoft style: <thing>_<verb>, keyword-only, one transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction

from styra.lib.errors import InputError

from . import access
from .models import DimensionMapping, Municipality, OrgNode, Person, RoleGrant
from .readers import OrgPlan, read_org_file


@dataclass(frozen=True)
class OrgLoadResult:
    municipality: Municipality
    created: int
    updated: int
    mappings: int
    people: int


def org_load(*, actor, path: Path | str) -> OrgLoadResult:
    """Load or update an organisation from a file; a bad file changes nothing (InputError
    with every issue). The organisation is the root of every right: only the system
    (CLI, demo) and a superuser may load it."""
    plan = read_org_file(path).raise_if_errors()
    return org_apply(actor=actor, plan=plan)


@transaction.atomic
def org_apply(*, actor, plan: OrgPlan) -> OrgLoadResult:
    if not (access.is_system(actor) or getattr(actor, "is_superuser", False)):
        raise PermissionDenied("Bara systemet och en superanvändare får läsa in organisationen.")
    muni, _ = Municipality.objects.update_or_create(
        org_number=plan.org_number,
        defaults={"name": plan.name, "code": plan.municipality_code},
    )
    by_code: dict[str, OrgNode] = {}
    created = updated = 0
    for node in plan.nodes:
        fields = {
            "kind": node.kind,
            "name": node.name,
            "short_name": node.short_name,
            "diarium_prefix": node.diarium_prefix,
            "valid_from": node.valid_from,
            "valid_to": node.valid_to,
            "is_result_unit": node.is_result_unit,
            "is_intraprenad": node.is_intraprenad,
            "sort_order": node.sort_order,
            "parent": by_code[node.parent_code] if node.parent_code else None,
        }
        obj = OrgNode.objects.filter(municipality=muni, code=node.code).first()
        if obj is None:
            obj = OrgNode(municipality=muni, code=node.code, **fields)
            obj.full_clean()
            obj.save()
            created += 1
        else:
            changed = [k for k, v in fields.items() if getattr(obj, k) != v]
            if changed:
                for k in changed:
                    setattr(obj, k, fields[k])
                obj.full_clean()
                obj.save()
                updated += 1
        by_code[node.code] = obj
    for node in plan.nodes:
        if node.predecessor_code:
            obj = by_code[node.code]
            pred = by_code[node.predecessor_code]
            if obj.predecessor_id != pred.pk:
                obj.predecessor = pred
                obj.save(update_fields=["predecessor"])

    # The file is the truth for the years it maps: replace those years' mappings.
    years = {m.year for m in plan.mappings}
    DimensionMapping.objects.filter(municipality=muni, year__in=years).delete()
    DimensionMapping.objects.bulk_create(
        DimensionMapping(
            municipality=muni,
            year=m.year,
            dimension=m.dimension,
            code=m.code,
            node=by_code[m.node_code],
        )
        for m in plan.mappings
    )

    User = get_user_model()
    for p in plan.people:
        user = None
        person = None
        if p.username:
            user, made = User.objects.get_or_create(
                username=p.username, defaults={"email": p.email, "first_name": p.name}
            )
            if made:
                user.set_unusable_password()
                user.save()
            elif (user.first_name, user.email) != (p.name, p.email):
                user.first_name, user.email = p.name, p.email
                user.save(update_fields=["first_name", "email"])
            # The username identifies the person: a changed name updates the same person.
            person = Person.objects.filter(user=user).first()
            if person is not None and person.municipality_id != muni.pk:
                raise InputError.single(
                    "organisationsfilen",
                    p.line,
                    f"Användarnamnet {p.username} hör redan till {person.name} i "
                    f"{person.municipality.name}; ett konto kan bara vara en person.",
                )
            RoleGrant.objects.filter(user=user, node__municipality=muni).delete()
            for node_code, role in p.roles:
                RoleGrant.objects.create(user=user, node=by_code[node_code], role=role)
        if person is None:
            person = Person.objects.filter(municipality=muni, name=p.name).first()
            if person is not None and user is not None and person.user_id not in (None, user.pk):
                person = None  # a namesake with another account: a person of their own
        if person is None:
            Person.objects.create(
                municipality=muni, name=p.name, email=p.email, title=p.title, user=user
            )
        else:
            person.name, person.email, person.title, person.user = p.name, p.email, p.title, user
            person.save()
    return OrgLoadResult(muni, created, updated, len(plan.mappings), len(plan.people))


# ---------------------------------------------------------------- users and roles (the web)

# Roles a controller may hand out inside its committee (unit managers and readers); every
# other role, and roles outside a committee, need the administrator (docs/roles.md).
CONTROLLER_GRANTS = frozenset({"editor", "reader"})


def _require_grant_right(actor, node: OrgNode, role: str) -> None:
    if access.can(actor, access.ADMIN, node):
        return
    if role in CONTROLLER_GRANTS and access.can(actor, access.FINANCE, node):
        return
    access.require(actor, access.ADMIN, node)


@transaction.atomic
def role_grant(*, actor, node: OrgNode, user, role: str) -> RoleGrant:
    """Give `user` the role on the node (inherited below it). The administrator gives any
    role; a controller gives editor and reader roles inside its committee."""
    from .models import Role

    if role not in Role.values:
        from styra.lib.errors import UsageError

        raise UsageError(f"okänd roll {role!r} ({', '.join(Role.values)})")
    _require_grant_right(actor, node, role)
    grant, _ = RoleGrant.objects.get_or_create(user=user, node=node, role=role)
    return grant


@transaction.atomic
def role_revoke(*, actor, grant: RoleGrant) -> None:
    _require_grant_right(actor, grant.node, grant.role)
    grant.delete()


@transaction.atomic
def user_create(
    *,
    actor,
    node: OrgNode,
    role: str,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
):
    """A new person who signs in, with a first role on the node and a person record in the
    municipality. The password is checked by Django's validators (ValidationError); without
    one the login has none until the person chooses it from the invitation (login_invite)."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    _require_grant_right(actor, node, role)
    user_model = get_user_model()
    username = username.strip()
    if not username:
        raise ValidationError("Ange ett användarnamn.")
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError(f"Användarnamnet {username} finns redan.")
    # Single sign-on finds the account by its e-mail address (styra.web.sso): one address,
    # one account, else the provider's login is refused for both.
    if email.strip() and user_model.objects.filter(email__iexact=email.strip()).exists():
        raise ValidationError(f"E-postadressen {email.strip()} används redan av ett annat konto.")
    user = user_model(
        username=username,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email.strip(),
    )
    if password:
        validate_password(password, user)
        user.set_password(password)
    elif not user.email:
        raise ValidationError(
            "Ange en e-postadress (personen får en inbjudan att välja lösenord) eller ett "
            "startlösenord."
        )
    else:
        user.set_unusable_password()  # chosen by the person from the invitation (login_invite)
    user.full_clean()
    user.save()
    Person.objects.create(
        municipality=node.municipality,
        name=f"{user.first_name} {user.last_name}".strip() or username,
        email=user.email,
        user=user,
    )
    role_grant(actor=actor, node=node, user=user, role=role)
    return user


# ---------------------------------------------------------------- the tree (the web)

# Checks a change of the tree must pass: callables (node, years) -> list of Swedish
# problems, where `years` are the years the node would leave (closing) or change place in
# (moving). The calendar registers one at start-up: a year an approved event shows keeps
# its tree (styra.calendar.apps).
_TREE_CHECKS: list = []


def register_tree_check(check) -> None:
    """Registers a rule of a higher app (the calendar's: an approved year keeps its tree)
    that node changes must pass; called at start-up, not a service."""
    if check not in _TREE_CHECKS:
        _TREE_CHECKS.append(check)


def _tree_problems(node: OrgNode, years: set[int]) -> None:
    from django.core.exceptions import ValidationError

    problems = [p for check in _TREE_CHECKS for p in check(node, years)]
    if problems:
        raise ValidationError(problems)


def _flag_values(node_kind: str, is_result_unit: bool, is_intraprenad: bool) -> dict:
    from styra.lib.errors import UsageError

    if is_intraprenad and not is_result_unit:
        raise UsageError("En intraprenad är alltid också en resultatenhet.")
    return {"is_result_unit": bool(is_result_unit), "is_intraprenad": bool(is_intraprenad)}


@transaction.atomic
def node_create(
    *,
    actor,
    parent: OrgNode,
    code: str,
    name: str,
    kind: str,
    valid_from,
    short_name: str = "",
    is_result_unit: bool = False,
    is_intraprenad: bool = False,
    predecessor: OrgNode | None = None,
) -> OrgNode:
    """A new node under `parent` (a unit, verksamhetsområde or förvaltning), valid from a
    date; `predecessor` names the node it replaces (a unit moved or split keeps its past).
    Needs ADMIN on the parent; committees come from the organisation file."""
    from styra.lib.errors import UsageError

    from .models import NodeKind

    access.require(actor, access.ADMIN, parent)
    code, name = (code or "").strip(), (name or "").strip()
    if not code or not name:
        raise UsageError("Ange kod och namn.")
    if kind not in NodeKind.values or kind == NodeKind.COMMITTEE:
        raise UsageError("En ny nod är en förvaltning, ett verksamhetsområde eller en enhet.")
    if OrgNode.objects.filter(municipality=parent.municipality, code=code).exists():
        raise UsageError(f"Koden {code} finns redan i {parent.municipality.name}.")
    if parent.valid_to is not None and valid_from > parent.valid_to:
        raise UsageError(f"{parent.name} gäller bara till {parent.valid_to}.")
    if predecessor is not None:
        if predecessor.municipality_id != parent.municipality_id:
            raise UsageError("Föregångaren hör till en annan kommun.")
        access.require(actor, access.ADMIN, predecessor)
    last = parent.children.order_by("-sort_order").values_list("sort_order", flat=True).first()
    node = OrgNode(
        municipality=parent.municipality,
        parent=parent,
        code=code,
        name=name,
        short_name=(short_name or "").strip(),
        kind=kind,
        valid_from=valid_from,
        sort_order=(last or 0) + 1,
        predecessor=predecessor,
        **_flag_values(kind, is_result_unit, is_intraprenad),
    )
    node.full_clean()
    node.save()
    return node


@transaction.atomic
def node_update(
    *,
    actor,
    node: OrgNode,
    name: str,
    short_name: str = "",
    is_result_unit: bool = False,
    is_intraprenad: bool = False,
) -> OrgNode:
    """Rename a node or change its resultatenhet/intraprenad flags; only what changed is
    written, and the history keeps the old name with who and when."""
    from styra.lib.errors import UsageError

    access.require(actor, access.ADMIN, node)
    name = (name or "").strip()
    if not name:
        raise UsageError("Ange ett namn.")
    node = OrgNode.objects.select_for_update().get(pk=node.pk)
    values = {
        "name": name,
        "short_name": (short_name or "").strip(),
        **_flag_values(node.kind, is_result_unit, is_intraprenad),
    }
    changed = [k for k, v in values.items() if getattr(node, k) != v]
    if changed:
        for key in changed:
            setattr(node, key, values[key])
        node.full_clean()
        node.save(update_fields=changed)
    return node


def _years(first, last) -> set[int]:
    return set(range(first.year, last.year + 1))


@transaction.atomic
def node_move(*, actor, node: OrgNode, parent: OrgNode) -> OrgNode:
    """Place a node (with everything under it) under another parent of the same
    committee. Refused for the years approved events show (their tree stays): then close
    the node and add a new one under the new parent with this one as its predecessor."""
    import datetime as dt

    from django.core.exceptions import ValidationError

    from .access import subtree_ids

    access.require(actor, access.ADMIN, node)
    access.require(actor, access.ADMIN, parent)
    node = OrgNode.objects.select_for_update().get(pk=node.pk)
    if node.parent_id == parent.pk:
        return node
    if node.parent_id is None:
        raise ValidationError("En nämnd flyttas inte.")
    if parent.pk in subtree_ids(node):
        raise ValidationError(f"{node.name} kan inte flyttas in under sig själv.")
    if parent.committee() != node.committee():
        raise ValidationError(
            "En enhet flyttas bara inom sin nämnd; till en annan nämnd: stäng den och lägg "
            "till en ny där, med den här som föregångare."
        )
    if parent.valid_to is not None and (node.valid_to is None or node.valid_to > parent.valid_to):
        raise ValidationError(f"{parent.name} gäller bara till {parent.valid_to}.")
    _tree_problems(node, _years(node.valid_from, node.valid_to or dt.date(2100, 1, 1)))
    node.parent = parent
    node.full_clean()
    node.save(update_fields=["parent"])
    return node


@transaction.atomic
def node_close(*, actor, node: OrgNode, valid_to) -> OrgNode:
    """Close a node from a date (gäller till): it stays with its figures, mappings and
    history for the years it was valid, and leaves the tree after. Nodes under it must be
    closed first; a year an approved event shows keeps its tree."""
    from django.core.exceptions import ValidationError

    access.require(actor, access.ADMIN, node)
    node = OrgNode.objects.select_for_update().get(pk=node.pk)
    if node.parent_id is None:
        raise ValidationError("En nämnd stängs i organisationsfilen.")
    if node.valid_to == valid_to:
        return node
    if valid_to < node.valid_from:
        raise ValidationError(f"{node.name} gäller från {node.valid_from}; välj ett senare datum.")
    still_open = [
        c.name for c in node.children.all() if c.valid_to is None or c.valid_to > valid_to
    ]
    if still_open:
        raise ValidationError(
            f"Stäng först det som ligger under {node.name}: {', '.join(sorted(still_open))}."
        )
    # The years the node would leave: after the new end, up to the old end (or open).
    old_end = node.valid_to.year if node.valid_to else 2100
    leaving = set(range(valid_to.year + 1, old_end + 1))
    if leaving:
        _tree_problems(node, leaving)
    mapped = sorted({m.year for m in node.dimension_codes.all() if m.year > valid_to.year})
    if mapped:
        raise ValidationError(
            f"{node.name} har koder i huvudboken kopplade för "
            f"{', '.join(map(str, mapped))}; koppla om dem först."
        )
    node.valid_to = valid_to
    node.full_clean()
    node.save(update_fields=["valid_to"])
    return node


# ---------------------------------------------------------------- invitations (set a password)


def _invite_right(actor, node: OrgNode) -> None:
    """The administrator invites anyone with a role on the node; the secretary (MEETINGS)
    the logins of the nämnd's members."""
    if access.can(actor, access.ADMIN, node) or access.can(actor, access.MEETINGS, node):
        return
    access.require(actor, access.ADMIN, node)


def password_link(user, site_url: str) -> str:
    """The one-time address where `user` chooses a password (Django's password-reset
    token: it stops working once the password is set, or after PASSWORD_RESET_TIMEOUT)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return site_url.rstrip("/") + path


def login_invite(*, actor, node: OrgNode, user, site_url: str) -> str:
    """E-mail `user` an invitation with a one-time link to choose a password (`site_url`:
    the address of this Styra). Only for an active login with an address, a role on the
    node or below it, and no password yet (a set password is changed through "Glömt
    lösenordet?" by its owner). Returns the address written to; UsageError otherwise; an
    unreachable mail server raises OSError (nothing is stored either way)."""
    from django.conf import settings
    from django.core.mail import EmailMessage

    from styra.lib.errors import UsageError

    _invite_right(actor, node)
    if not RoleGrant.objects.filter(user=user, node_id__in=access.subtree_ids(node)).exists():
        raise UsageError(f"{user.username} har ingen roll i {node.name}.")
    if not user.is_active:
        raise UsageError(f"Inloggningen {user.username} är avstängd.")
    if user.has_usable_password():
        raise UsageError(
            f"{user.username} har redan ett lösenord; personen byter det själv med "
            "”Glömt lösenordet?” på inloggningssidan."
        )
    if not user.email:
        raise UsageError(
            f"{user.username} har ingen e-postadress; inbjudan kan inte skickas. "
            "Lägg till adressen först."
        )
    days = max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400))
    name = user.get_full_name() or user.username
    sender = getattr(actor, "get_full_name", lambda: "")() or str(actor)
    body = "\n".join(
        [
            f"Hej {name}!",
            "",
            f"Du har fått en inloggning till Styra för {node.name}. Ditt användarnamn är "
            f"{user.username}.",
            "",
            "Välj ditt lösenord på den här adressen (länken fungerar en gång och gäller i "
            f"{days} dagar):",
            password_link(user, site_url),
            "",
            "Har länken gått ut? Välj ”Glömt lösenordet?” på inloggningssidan och skriv din "
            "e-postadress.",
            "",
            f"Hälsningar {sender}",
            "(skickat från Styra)",
        ]
    )
    EmailMessage("Din inloggning till Styra", body, to=[user.email]).send()
    return user.email
