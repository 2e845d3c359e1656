from django.apps import AppConfig


class TasksConfig(AppConfig):
    name = "styra.tasks"
    label = "tasks"
    verbose_name = "Bakgrundsarbeten"

    def ready(self) -> None:
        # Every app's background jobs live in <app>/tasks.py; a worker (and the web, which
        # needs their labels) must know them all.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
