from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "styra.demo"
    label = "demo"
    verbose_name = "Demokommunen"
