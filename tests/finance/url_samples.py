"""Sample URL parameters for the permission walk (tests/web/test_permissions.py)."""


def samples(node) -> dict:
    from styra.finance.models import ReportingEvent

    event, _ = ReportingEvent.objects.get_or_create(
        committee=node("AVUN"),
        code="2020-D2",
        defaults={"year": 2020, "name": "Delårsrapport 2 2020", "cutoff_period": 8},
    )
    return {"event_code": ("JC", event.code)}
