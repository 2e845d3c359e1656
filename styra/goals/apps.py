from django.apps import AppConfig


class GoalsConfig(AppConfig):
    name = "styra.goals"
    label = "goals"
    verbose_name = "Mål och mått"
