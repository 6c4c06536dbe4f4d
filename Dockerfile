# Vägval's production image: one image for web (gunicorn), worker and beat (Celery).
# Debian-based Python 3.11 with the system libraries WeasyPrint needs for PDF export (Pango,
# HarfBuzz, fonts). The real data folder is not baked in: compose mounts it read-only at /data.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app:/app/platform \
    VAGVAL_DATA_DIR=/data
# No DJANGO_SETTINGS_MODULE here: each entry point picks its own (wsgi, asgi and Celery the
# site's settings, `manage.py` the lean `settings_batch` for ingest and the other batch
# commands); set image-wide, it would make every scheduled ingest load the whole site.

# libpango*/libharfbuzz-subset0: WeasyPrint (CV and report PDFs); fonts for those PDFs;
# gettext: compilemessages; curl: container health checks; gcc and libc6-dev: `pip install`
# compiles ingestion's inner loops (vagval.native, Cython).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
        fonts-dejavu-core fonts-liberation2 \
        gettext curl gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system vagval && useradd --system --gid vagval --home-dir /app vagval
WORKDIR /app

# Dependencies first, from pyproject.toml alone, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; d = tomllib.load(open('pyproject.toml', 'rb')); \
print('\n'.join(d['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
# Static files and translations are built into the image. The key is a throw-away one that only
# lets settings load in production mode here; it signs nothing and the running image never sees it.
RUN pip install --no-deps -e . \
    && mkdir -p var/media var/static \
    && DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only-key-that-signs-nothing-0123456789abcdefghij \
        python manage.py collectstatic --noinput \
    && if find . -name '*.po' -not -path './.venv/*' | grep -q .; then \
        DJANGO_DEBUG=false DJANGO_SECRET_KEY=build-only-key-that-signs-nothing-0123456789abcdefghij \
        python manage.py compilemessages --ignore=.venv; fi \
    && rm -f var/*.sqlite3* \
    && chown -R vagval:vagval var

USER vagval
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1

# gunicorn by default; compose overrides the command for the worker and beat.
CMD ["gunicorn", "vagval.config.wsgi:application", \
     "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
