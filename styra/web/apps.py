from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "styra.web"
    label = "web"
    verbose_name = "Webb"
