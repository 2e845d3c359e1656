"""Idempotent form submits: a double click or a re-sent POST does the work once.

    {% load styra %}<form method="post">{% csrf_token %}{% submit_token %} … </form>

    def case_list(request):
        if request.method == "POST" and form.is_valid():
            return once(request, lambda: create_and_redirect(...))

The first POST with a token runs `make` inside one transaction with the token's row; a
second POST with the same token (even at the same moment: the unique index makes it wait
for the first) runs nothing and is redirected to where the first one went. A POST
without a token (scripts, old pages) simply runs.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import timedelta

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone

from .models import SubmitToken

FIELD = "submit_token"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
KEEP = timedelta(days=2)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def once(request, make: Callable[[], HttpResponse]) -> HttpResponse:
    token = request.POST.get(FIELD, "")
    if not _TOKEN.match(token):
        return make()
    user = request.user if request.user.is_authenticated else None
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = SubmitToken.objects.create(token=token, user=user)
        except IntegrityError:
            first = SubmitToken.objects.filter(token=token).first()
            messages.info(request, "Formuläret var redan skickat; inget gjordes två gånger.")
            same_user = first is not None and first.user_id == getattr(user, "pk", None)
            return redirect((first.result_url if same_user else "") or request.get_full_path())
        response = make()
        if response.status_code >= 400 or not response.has_header("Location"):
            # Nothing was done (the form is shown again with its errors): keep the token free.
            transaction.set_rollback(True)
            return response
        row.result_url = response["Location"][:500]
        row.save(update_fields=["result_url"])
    SubmitToken.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
    return response
