"""What the app reads from an HTTP request beyond Django's own parsing.

- The visitor's address, trusting X-Forwarded-For only as far as PROXY_COUNT
  proxies: one function for the login lockout (django-axes), the report rate
  limit and the logs, so that all three see the same person.
- The username of a login attempt, as django-axes records it (bounded).
- Query parameters without empty values: a form submitted with nothing ticked
  or chosen sends `departement=`, which means "no criterion", not an error.
"""

import ipaddress
import logging

from django.conf import settings


def _address(value):
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The visitor's address as the nearest trusted proxy saw it, or REMOTE_ADDR without proxy.

    Each trusted proxy appends the address it received the request from, so the
    client is PROXY_COUNT entries from the end; anything before was sent by the
    client and may be forged. A header shorter than expected (request that did not
    go through every proxy) or an entry that is not an address falls back to
    REMOTE_ADDR, so the result is always an address a model field accepts.
    """
    remote = _address(request.META.get("REMOTE_ADDR", "")) or "0.0.0.0"
    if settings.PROXY_COUNT:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= settings.PROXY_COUNT:
            return _address(forwarded[-settings.PROXY_COUNT]) or remote
    return remote


# axes stores the attempted username in a 255-character column; PostgreSQL refuses longer.
LOGIN_USERNAME_MAX_LENGTH = 255


def login_username(request, credentials=None):
    """The username a login attempt names, cut to what axes can store (a longer one is no account's)."""
    username = (credentials or getattr(request, "POST", {})).get("username")
    return username[:LOGIN_USERNAME_MAX_LENGTH] if isinstance(username, str) else username


def search_params(request):
    """request.GET without empty values, for the finder and its exports."""
    params = request.GET.copy()
    for name in list(params):
        values = [value for value in params.getlist(name) if value.strip()]
        if values:
            params.setlist(name, values)
        else:
            del params[name]
    return params


class ClientAddressFilter(logging.Filter):
    """Adds `client_ip` to every log record: the visitor's address when the record carries a request, else "-"."""

    def filter(self, record):
        request = getattr(record, "request", None)
        record.client_ip = client_ip(request) if hasattr(request, "META") else "-"
        return True
