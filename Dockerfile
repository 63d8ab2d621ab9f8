# Multi-stage: build wheels with the compilers, ship only the runtime.
FROM python:3.11-slim-bookworm AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN apt-get update && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
COPY requirements/base.lock requirements/base.lock
RUN python -m venv /venv && /venv/bin/pip install --no-cache-dir -r requirements/base.lock

FROM python:3.11-slim-bookworm AS runtime
# WeasyPrint needs Pango; fonts for the PDFs. No compilers in this image.
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 routetool
ENV PATH="/venv/bin:$PATH" PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    ROUTETOOL_VAR_DIR=/data STATICFILES_STORAGE=whitenoise.storage.CompressedManifestStaticFilesStorage
COPY --from=build /venv /venv
WORKDIR /app
COPY --chown=routetool:routetool . /app
RUN mkdir -p /data && chown routetool:routetool /data \
    && SECRET_KEY=build-only DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput -v0
USER routetool
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "-c", "config/gunicorn.py", "--bind", "0.0.0.0:8000", "--workers", "4"]
