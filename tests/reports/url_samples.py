"""Sample URL parameters for the permission walk (tests/web/test_permissions.py)."""


def samples(node) -> dict:
    from styra.finance.models import ReportingEvent
    from styra.reports.models import ReportSnapshot

    event, _ = ReportingEvent.objects.get_or_create(
        committee=node("AVUN"),
        code="2020-D2",
        defaults={"year": 2020, "name": "Delårsrapport 2 2020", "cutoff_period": 8},
    )
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
