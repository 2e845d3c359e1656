"""Sample URL parameters for the permission walk (tests/web/test_permissions.py)."""


def samples(node) -> dict:
    from styra.calendar.services import event_ensure
    from tests.actors import SYSTEM

    event = event_ensure(actor=SYSTEM, committee=node("AVUN"), code="2020-D2")
    from styra.finance.services import investment_project_save

    project = investment_project_save(
        actor=SYSTEM,
        committee=node("AVUN"),
        number="3999",
        name="Exempelprojekt",
        kind="annual",
        category="inventarier",
    )
    return {"event_code": ("JC", event.code), "investment_project_id": ("AVUN", project.pk)}
