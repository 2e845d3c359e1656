"""The page "API-nycklar": a person's own keys to the read API, made and revoked here."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from styra.web import access
from styra.web.params import id_or_none

from . import services
from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(label="Vad nyckeln ska användas till", max_length=100)


@access.login
def tokens(request):
    form = TokenForm(request.POST or None)
    new_key = ""
    error = ""
    if request.method == "POST":
        if "revoke" in request.POST:
            token = get_object_or_404(
                ApiToken, pk=id_or_none(request.POST.get("revoke")), user=request.user
            )
            services.token_revoke(actor=request.user, token=token)
            messages.success(request, f"Nyckeln {token} är återkallad.")
            return redirect("api_tokens")
        if form.is_valid():
            try:
                _, new_key = services.token_create(
                    actor=request.user, user=request.user, name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "error": error,
            "tokens": ApiToken.objects.filter(user=request.user),
        },
        status=400 if error else 200,
    )
