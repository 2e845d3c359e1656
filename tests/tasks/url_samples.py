"""Sample URL parameters for the permission walk (tests/web/test_permissions.py): a finished
run on Jobbcenter that needs the right to read it, with one file."""


def samples(node) -> dict:
    from django.core.files.base import ContentFile

    from styra.org.access import VIEW
    from styra.tasks.models import TaskFile, TaskRun

    run = TaskRun.objects.filter(kind="tests.sample").first()
    if run is None:
        run = TaskRun.objects.create(
            kind="tests.sample",
            title="Provarbete",
            node=node("JC"),
            capability=VIEW,
            status="done",
            progress=1.0,
            dedupe_key="0" * 64,
        )
        f = TaskFile(run=run, name="prov.txt", content_type="text/plain", size=2, sha256="0")
        f.file.save("prov.txt", ContentFile(b"ok"), save=False)
        f.save()
    return {"task_id": ("JC", run.pk), "file_id": ("JC", run.files.get().pk)}
