"""Container health check (the Dockerfile's HEALTHCHECK): GET /healthz on the local gunicorn.

Sends a Host the site accepts (the first of ALLOWED_HOSTS), since Django refuses
any other; /healthz is exempt from the HTTPS redirect. Exit 0 when healthy.
"""

import os
import sys
import urllib.request

hosts = [host.strip().lstrip(".") for host in os.environ.get("ALLOWED_HOSTS", "localhost").split(",") if host.strip()]
url = f"http://127.0.0.1:{int(os.environ.get('PORT', '8000'))}/healthz"
request = urllib.request.Request(url, headers={"Host": hosts[0] if hosts else "localhost"})
try:
    with urllib.request.urlopen(request, timeout=4) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception as error:  # any failure means unhealthy; say why in `docker inspect`
    print(f"unhealthy: {error}", file=sys.stderr)
    sys.exit(1)
