"""Choosing and resetting a password: Django's password-reset views with Swedish pages.

The invitation of a new login (org.services.login_invite) and "Glömt lösenordet?" lead to
the same one-time address (Django's token: it stops working when the password is set, or
after PASSWORD_RESET_TIMEOUT). The forgot page answers the same whether or not the
address belongs to anyone."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.urls import reverse_lazy

from . import access


class ResetForm(PasswordResetForm):
    def get_users(self, email):
        """Every active login with the address, also one that has not chosen its password
        yet (an invitation that expired): the link goes only to the address itself."""
        from django.contrib.auth import get_user_model

        return get_user_model()._default_manager.filter(email__iexact=email, is_active=True)


class SetPasswordForm(DjangoSetPasswordForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Nytt lösenord"
        self.fields["new_password2"].label = "Samma lösenord igen"


reset_view = access.public(
    auth_views.PasswordResetView.as_view(
        form_class=ResetForm,
        template_name="registration/password_reset_form.html",
        email_template_name="registration/password_reset_email.txt",
        subject_template_name="registration/password_reset_subject.txt",
        success_url=reverse_lazy("password_reset_done"),
    )
)
reset_done_view = access.public(
    auth_views.PasswordResetDoneView.as_view(template_name="registration/password_reset_done.html")
)
reset_confirm_view = access.public(
    auth_views.PasswordResetConfirmView.as_view(
        form_class=SetPasswordForm,
        template_name="registration/password_reset_confirm.html",
        success_url=reverse_lazy("password_reset_complete"),
    )
)
reset_complete_view = access.public(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="registration/password_reset_complete.html"
    )
)
