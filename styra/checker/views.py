"""Web: upload a report made elsewhere; a background job checks it (styra.checker.tasks)
and the result page lists the findings.

The upload streams to disk (Django's temporary-file handler) under a size limit that is
enforced while the body arrives, and is stored under a name the server makes: no request
value names a server path. Messages name the file by its own name, never a server path."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from styra.org import access as org_access
from styra.tasks import selectors as task_selectors
from styra.tasks.services import task_start
from styra.tasks.views import run_view
from styra.web import access

from . import tasks
from .limits import size_text

FORMATS = {".pdf": ".pdf", ".docx": ".docx", ".txt": ".txt"}


class SizeLimit(FileUploadHandler):
    """Stops reading an upload as soon as it passes `limit` bytes."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _page(request, error: str = "", status: int = 200):
    lim = tasks.limits()
    return render(
        request,
        "checker/upload.html",
        {"error": error, "max_size": size_text(lim.max_bytes), "max_lines": lim.max_lines},
        status=status,
    )


@csrf_exempt  # checked by _check_upload, after the size limit is in place
@access.login
def check_upload(request):
    if request.method != "POST":
        return _page(request)
    lim = tasks.limits()
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    too_big = f"Filen är större än gränsen {size_text(lim.max_bytes)}."
    if length > lim.max_bytes + 64 * 1024:  # the form's own fields take a little
        return _page(request, too_big, 413)
    limit = SizeLimit(request, lim.max_bytes)
    request.upload_handlers.insert(0, limit)
    return _check_upload(request, limit, lim)


@csrf_protect
def _check_upload(request, limit: SizeLimit, lim):
    upload = request.FILES.get("rapport")
    if limit.exceeded:
        return _page(request, f"Filen är större än gränsen {size_text(lim.max_bytes)}.", 413)
    if upload is None:
        return _page(request, "Välj en fil.", 400)
    node = _run_node(request.user)
    if node is False:
        return _page(request, "Du behöver en roll i en nämnd för att granska rapporter.", 403)
    name = os.path.basename(upload.name or "rapport").strip()[:120] or "rapport"
    suffix = FORMATS.get(Path(name).suffix.lower(), "")
    token = uuid.uuid4().hex
    target = tasks.upload_path(token, suffix)
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = getattr(upload, "temporary_file_path", None)
    if temp is not None:
        shutil.move(temp(), target)
    else:
        with open(target, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    run = task_start(
        actor=request.user,
        kind="checker.check",
        node=node or None,
        capability=org_access.VIEW,
        title=f"Granskning av {name}",
        params={"upload": token, "suffix": suffix, "name": name},
        return_url=reverse("check_upload"),
        return_label="Granska en rapport till",
    )
    return redirect(run)


def _run_node(user):
    """The node the run is authorised on: the user's own top node (a superuser's runs are
    system-wide). False when the user has no role at all."""
    if user.is_superuser:
        return None
    nodes = org_access.nodes_for(user, org_access.VIEW)
    if not nodes:
        return False
    ids = {n.pk for n in nodes}
    return min((n for n in nodes if n.parent_id not in ids), key=lambda n: n.pk)


@run_view
def check_result(request, run):
    """The findings of a finished check (the run's own right on its node decides who sees
    it); before that, or for another kind of run, a page that points to the run."""
    state = task_selectors.run_state(run)
    result = run.result if isinstance(run.result, dict) else {}
    data = result.get("check") if run.kind == "checker.check" and state.finished else None
    return render(request, "checker/result.html", {"state": state, "data": data})
