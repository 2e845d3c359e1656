"""Sample URL parameters for the permission walk (tests/web/test_permissions.py)."""


def samples(node) -> dict:
    from styra.org.models import RoleGrant

    grant = RoleGrant.objects.filter(node=node("JC")).first()
    return {
        "role_grant_id": ("JC", grant.pk if grant else 1),
        # the one-time link to choose a password: public; an unknown link says so (200)
        "uidb64": ("JC", "MQ"),
        "token": ("JC", "ogiltig-lank"),
    }
