from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "styra.reports"
    label = "reports"
    verbose_name = "Rapporter"
