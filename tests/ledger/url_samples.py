"""Sample URL parameters for the permission walk: a finished check of an uploaded ledger
file on AVUN, and an import to undo."""


def samples(node) -> dict:
    from styra.ledger.models import LedgerImport
    from styra.org.access import FINANCE
    from styra.tasks.models import TaskRun

    avun = node("AVUN")
    run = TaskRun.objects.filter(kind="ledger.check", node=avun).first()
    if run is None:
        run = TaskRun.objects.create(
            kind="ledger.check",
            title="Kontroll av prov.se",
            node=avun,
            capability=FINANCE,
            status="done",
            progress=1.0,
            dedupe_key="1" * 64,
            params={"committee_id": avun.pk, "token": "x"},
            result={"preview": {"file_name": "prov.se", "errors": ["rad 3: fel"], "periods": []}},
        )
    imp = LedgerImport.objects.filter(municipality=avun.municipality).first()
    if imp is None:
        imp = LedgerImport.objects.create(
            municipality=avun.municipality,
            source="huvudbok",
            year=2020,
            first_period=1,
            last_period=1,
            file_format="sie",
            file_name="prov.se",
            file_sha256="0" * 64,
        )
    return {"run_id": ("AVUN", run.pk), "import_id": ("AVUN", imp.pk)}
