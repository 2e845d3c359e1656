from django.urls import path

from styra.web import access

from . import views

NAV = [("check_upload", "Granska rapport", access.FINANCE)]

urlpatterns = [
    path("granska/", views.check_upload, name="check_upload"),
    path("granska/<int:task_id>/", views.check_result, name="check_result"),
]
