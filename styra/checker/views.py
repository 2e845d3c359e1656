"""Web: upload a report made elsewhere and see the findings of `styra check`."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import HttpResponse
from django.shortcuts import render

from styra.web import access

from .api import check_file
from .render import render_html

MAX_BYTES = 50 * 1024 * 1024


@access.login
def check_upload(request):
    if request.method != "POST":
        return render(request, "checker/upload.html")
    upload = request.FILES.get("rapport")
    if upload is None:
        return render(request, "checker/upload.html", {"error": "Välj en fil."}, status=400)
    if upload.size > MAX_BYTES:
        return render(
            request, "checker/upload.html", {"error": "Filen är större än 50 MB."}, status=400
        )
    suffix = Path(upload.name).suffix.lower()[:6]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"rapport{suffix}"
        with open(path, "wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        result = check_file(path)
    result.path = upload.name
    return HttpResponse(render_html(result), status=200 if not result.error else 400)
