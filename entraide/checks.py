"""Start-up checks: refuse to serve with a shared cache that is configured but unusable.

Without them a missing `redis` client or an unreachable server shows up only
when a visitor submits a report (a 500), long after the deployment.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.checks import Error


def _without_password(url):
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.rsplit("@", 1)[1]
        parts = parts._replace(netloc=f"{parts.username or ''}:***@{netloc}")
    return urlunsplit(parts)


def redis_reachable(app_configs=None, **kwargs):
    url = settings.REDIS_URL
    if not url:
        return []
    try:
        import redis
    except ImportError:
        return [
            Error(
                "REDIS_URL est défini mais le client Python « redis » n'est pas installé.",
                hint="Installez les dépendances : pip install -r requirements.txt (ou retirez REDIS_URL).",
                id="entraide.E001",
            )
        ]
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        try:
            client.ping()
        finally:
            client.close()
    except (redis.RedisError, OSError, ValueError) as error:
        return [
            Error(
                f"Redis injoignable à {_without_password(url)} (REDIS_URL) : {error}",
                hint="Vérifiez que le serveur Redis tourne et que REDIS_URL est juste, ou retirez REDIS_URL.",
                id="entraide.E002",
            )
        ]
    return []
