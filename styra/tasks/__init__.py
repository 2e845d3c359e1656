"""Background work: long jobs (report files, ledger imports, the scale build, the checker)
run on a task queue, never in a web request. The page that starts one returns at once and
shows the run's progress until the result is ready.

The queue is Django's tasks API (the `django-tasks` backport for Django 5.2) with its
database backend (`django-tasks-db`): the queue is a table in Styra's own database, so the
demo needs nothing but SQLite, and in production on PostgreSQL any number of `styra worker`
processes on any number of hosts share it (rows are claimed with SELECT … FOR UPDATE SKIP
LOCKED). Every job is one row of `TaskRun`: who started it, on which org node and with which
right (it is authorised on that node at start, at run time and at every look), its progress
(fraction and a Swedish message), its result (a summary, a link, files) or its error (a
Swedish message; a traceback only ever reaches the log).

Define a job in `<app>/tasks.py` (imported by every worker at start):

    from styra.tasks.registry import background

    @background("reports.build_files", label="Rapportfiler")
    def build_files(job, *, event_id: int, report_type: str) -> dict:
        job.progress(0.1, "Hämtar siffrorna")
        ...
        job.add_file("rapport.pdf", pdf_bytes, "application/pdf")
        return {"summary": "Rapporten är klar.", "link": {"url": …, "label": …}}

Start it from a view (or a command) and show it:

    from styra.tasks.services import task_start

    run = task_start(actor=request.user, kind="reports.build_files", node=committee,
                     capability=access.EDIT, title="…", params={…},
                     return_url=request.path, return_label="Tillbaka till rapporten")
    return redirect(run)                        # the run's own page, with progress

    {% load tasks %}{% task_progress run %}     # the progress fragment, on any page

See docs/background-tasks.md.
"""
