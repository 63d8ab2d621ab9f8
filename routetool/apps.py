from django.apps import AppConfig


class RoutetoolConfig(AppConfig):
    name = "routetool"
    verbose_name = "Routetool"
