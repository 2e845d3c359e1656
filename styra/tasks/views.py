"""The pages of a background job: its own page (progress, then result or error), the
progress fragment that pages poll with htmx, its files, and the list of one's jobs."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header

from styra.web import access
from styra.web.csp import as_document

from . import selectors


def run_view(view):
    """The view takes task_id; the user needs the run's own right on the run's node
    (styra.tasks.selectors.can_see). Marked VIEW for the permission walk: every run needs
    at least that."""

    @wraps(view)
    def wrapper(request, task_id, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, selectors.run_for(request.user, task_id), **kwargs)

    wrapper.styra_access = access.VIEW
    return wrapper


@access.login
def task_list(request):
    runs = [selectors.run_state(r) for r in selectors.runs_for(request.user)]
    return render(request, "tasks/list.html", {"states": runs})


@run_view
def task_detail(request, run):
    return render(request, "tasks/detail.html", {"state": selectors.run_state(run)})


@run_view
def task_progress(request, run):
    """The fragment alone (htmx swaps it in place every two seconds while unfinished)."""
    return render(request, "tasks/_state.html", {"state": selectors.run_state(run)})


@run_view
def task_file(request, run, file_id):
    f = selectors.file_for(run, file_id)
    kind = f.content_type.split(";")[0]
    if kind == "text/html":  # a generated document with its own style sheet (styra.web.csp)
        with f.file.open("rb") as stream:
            response = HttpResponse(stream.read(), content_type=f.content_type)
        response["Content-Disposition"] = content_disposition_header(False, f.name)
        return as_document(response)
    inline = kind in ("application/json", "application/pdf")
    return FileResponse(
        f.file.open("rb"), as_attachment=not inline, filename=f.name, content_type=f.content_type
    )
