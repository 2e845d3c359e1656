"""Web pages of background jobs (included by styra/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("arbeten/", views.task_list, name="task_list"),
    path("arbeten/<int:task_id>/", views.task_detail, name="task_detail"),
    path("arbeten/<int:task_id>/forlopp/", views.task_progress, name="task_progress"),
    path("arbeten/<int:task_id>/filer/<int:file_id>/", views.task_file, name="task_file"),
]
