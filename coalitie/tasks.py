"""Periodic jobs of the coalitie app (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(name="coalitie.tasks.retentie_uitvoeren", acks_late=True)
def retentie_uitvoeren() -> int:
    """Daily retention run; idempotent (anonymised pupils are skipped)."""
    from plaatsingen.retentie import retentie_uitvoeren as uitvoeren

    return uitvoeren().geanonimiseerd
