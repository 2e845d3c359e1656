from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "styra.meetings"
    label = "meetings"
    verbose_name = "Sammanträden"
