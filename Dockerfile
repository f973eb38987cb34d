# Production image: gunicorn (gunicorn.conf.py) serving the Django app; whitenoise serves static files.
# Two stages: the build stage installs the dependencies and collects static files; the runtime
# image receives the virtual environment and the application's runtime files only (no tests,
# benchmarks, docs, demo data or build tools), and runs as a non-root user with a home directory.

FROM python:3.13-slim AS build

ENV PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH

RUN python -m venv /opt/venv
COPY requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt

WORKDIR /app
COPY manage.py gunicorn.conf.py ./
COPY entraide/ entraide/
COPY directory/ directory/
COPY charter/ charter/
COPY templates/ templates/
COPY static/ static/
COPY deploy/healthcheck.py deploy/healthcheck.py
# Reference data, loaded once on an empty database (README, "Production"); never the demo data.
COPY fixtures/territories.json fixtures/movements.json fixtures/charter.json fixtures/
# collectstatic needs settings that refuse insecure production values, so give it throwaway ones.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-real-secret-0123456789 ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput \
    && python -m compileall -q /app /opt/venv


FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DEBUG=0 \
    HOST=0.0.0.0 \
    PORT=8000 \
    MEDIA_ROOT=/app/media

# A home directory: tools that write under $HOME (caches, gunicorn's defaults) must not fail.
RUN useradd --uid 10001 --create-home --home-dir /home/entraide --shell /usr/sbin/nologin entraide

COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
# Code stays root-owned (read-only for the app); only uploads are writable.
RUN install -d -o entraide -g entraide /app/media

WORKDIR /app
USER entraide
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 CMD ["python", "deploy/healthcheck.py"]
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
