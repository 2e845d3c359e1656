from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "styra.org"
    label = "org"
    verbose_name = "Organisation"
