"""`/healthz`: no login, no data. 200 when database and broker answer, else 503 naming which."""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def _broker() -> bool:
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _database(), "broker": _broker()}
    ok = all(checks.values())
    body = {
        "status": "ok" if ok else "fout",
        "checks": {k: "ok" if v else "fout" for k, v in checks.items()},
    }
    return JsonResponse(body, status=200 if ok else 503)
