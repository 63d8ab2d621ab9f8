import os

from celery import Celery
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("routetool")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _django_logging(**kwargs):
    """Worker and beat log through Django's LOGGING (JSON lines, the privacy filter) instead of
    Celery's own handlers, which would print exception messages and reprs as they are."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)
