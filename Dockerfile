# Production image: gunicorn serving the Django app; whitenoise serves static files.
FROM python:3.13-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# The German and English catalogues are compiled here with GNU gettext, removed once done
# (manage.py needs the same throwaway production settings as collectstatic below).
RUN apt-get update && apt-get install -y --no-install-recommends gettext \
    && DEBUG=0 SECRET_KEY=collectstatic-only-not-a-real-secret-0123456789 ALLOWED_HOSTS=build \
    python manage.py compilemessages \
    && apt-get purge -y --auto-remove gettext && rm -rf /var/lib/apt/lists/*
# collectstatic needs settings that refuse insecure production values, so give it throwaway ones.
RUN DEBUG=0 SECRET_KEY=collectstatic-only-not-a-real-secret-0123456789 ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --no-create-home entraide \
    && chown -R entraide /app/staticfiles

USER entraide
ENV DEBUG=0
EXPOSE 8000
CMD ["gunicorn", "entraide.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--forwarded-allow-ips", "*"]
