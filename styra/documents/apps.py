from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "styra.documents"
    label = "documents"
    verbose_name = "Dokument"
