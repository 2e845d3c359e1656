"""Sample URL parameters for the permission walk (tests/web/test_permissions.py)."""


def samples(node) -> dict:
    from styra.calendar.services import event_ensure
    from styra.reports.models import ReportSnapshot
    from tests.actors import SYSTEM

    event = event_ensure(actor=SYSTEM, committee=node("AVUN"), code="2020-D2")
    snapshot = ReportSnapshot.objects.filter(event=event).first() or ReportSnapshot.objects.create(
        committee=node("AVUN"),
        event=event,
        report_type="delarsrapport",
        version=1,
        title="Delårsrapport 2 2020",
        data="{}",
        summary_text="Nämnden prognostiserar en budget i balans.",
        content_hash="0" * 64,
    )
    return {
        "report_type": ("JC", "delarsrapport"),
        "part": ("JC", "analys"),
        "fmt": ("JC", "json"),
        "snapshot_id": ("AVUN", snapshot.pk),
    }
