"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py` (the Dockerfile's command).

Threaded workers (gthread): a connection that is idle, half-open or slow to send
its request waits in the worker's poller and holds no thread, so a handful of
them cannot stall the site as they did with sync workers. The reverse proxy in
front (deploy/Caddyfile) buffers slow clients anyway; this is the second line.

Environment: HOST (default 127.0.0.1; 0.0.0.0 in the container, where only the
proxy can reach it), PORT (8000), WEB_CONCURRENCY (worker processes, 2),
GUNICORN_THREADS (threads per worker, 8).
"""

import os
import sys

wsgi_app = "entraide.wsgi:application"
bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{int(os.environ.get('PORT', '8000'))}"]

worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
# Connections a worker keeps open (idle keep-alive ones included) beyond its busy threads.
worker_connections = 200

# Heartbeat: a worker silent this long (stuck in C code, deadlocked) is killed and replaced.
timeout = 30
graceful_timeout = 20
# Behind a proxy that reuses connections; short enough that idle ones do not pile up.
keepalive = 5

# Request line and headers: gunicorn's defaults, stated. Bodies are limited by Django
# (PUBLIC_MAX_BODY_SIZE) and by the proxy.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

# gunicorn 25+ opens a control socket in $HOME or $XDG_RUNTIME_DIR, shared by every
# gunicorn of the same user: nothing here needs runtime control, so none.
control_socket_disable = True
# Heartbeat files on tmpfs when there is one: a disk-backed /tmp can block workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# The proxy logs every request; gunicorn logs its own errors only (no visitor addresses twice).
accesslog = None
errorlog = "-"
loglevel = "info"


def on_starting(server):
    """Refuse to start with a broken configuration (e.g. REDIS_URL unreachable) rather than answer 500s."""
    import django
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
    django.setup()
    try:
        # No database checks: a database that is down at start-up is for /healthz to report (503), not a crash.
        call_command("check", databases=[])
    except SystemCheckError as error:
        server.log.error("%s", error)
        sys.exit(1)
