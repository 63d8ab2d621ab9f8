"""Periodic jobs of the coalitie app (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from .retentie import retentie_uitvoeren as uitvoeren


@shared_task(name="coalitie.tasks.retentie_uitvoeren", acks_late=True)
def retentie_uitvoeren() -> int:
    """Daily retention run, every app's hook; idempotent (anonymised pupils are skipped)."""
    return uitvoeren().geanonimiseerd
