from django.urls import path

from styra.web import access

from . import views

NAV = [("check_upload", "Granska rapport", access.VIEW)]

urlpatterns = [path("granska/", views.check_upload, name="check_upload")]
