from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "styra.api"
    label = "api"
    verbose_name = "Läs-API"
