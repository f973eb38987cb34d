"""Fetching a source's URL without letting it reach what it should not.

- http and https only, on a redirect too, which may not change the scheme;
- the host is resolved once, every address checked, and the connection made to
  the checked address (a second DNS answer cannot swap in an internal one);
- no private, loopback, link-local, reserved or multicast address unless the
  setting IMPORT_ALLOW_PRIVATE_ADDRESSES is on (tests serve samples on 127.0.0.1);
- a timeout on each network operation and on the whole download, and a size limit.
Any failure is a FetchError with a French message, reported on the source.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 10  # seconds, per connect or read
TOTAL_TIMEOUT = 30  # seconds, for the whole download
MAX_REDIRECTS = 3
USER_AGENT = "EntraideGrandEst-import/1.0"


class FetchError(Exception):
    pass


def _checked_address(host, port):
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        message = _("Nom de serveur introuvable : %(host)s (%(error)s).") % {"host": host, "error": error}
        raise FetchError(message) from None
    addresses = [info[4][0] for info in infos]
    if not getattr(settings, "IMPORT_ALLOW_PRIVATE_ADDRESSES", False):
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            if not ip.is_global or ip.is_multicast:
                raise FetchError(
                    _("Adresse refusée : %(host)s pointe vers une adresse privée ou locale (%(ip)s).")
                    % {"host": host, "ip": address}
                )
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, address, port, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, address, port, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def fetch(url, max_bytes=MAX_BYTES):
    """The body of `url` as bytes, or FetchError."""
    scheme = urlsplit(url).scheme.lower()
    deadline = time.monotonic() + TOTAL_TIMEOUT
    for _redirect in range(MAX_REDIRECTS + 1):
        parts = urlsplit(url)
        if parts.scheme.lower() != scheme:
            raise FetchError(_("Redirection vers un autre protocole refusée : %(url)s") % {"url": url[:200]})
        if parts.scheme.lower() not in ("http", "https"):
            raise FetchError(_("Seules les adresses http et https sont acceptées : %(url)s") % {"url": url[:200]})
        if not parts.hostname:
            raise FetchError(_("Adresse sans nom de serveur : %(url)s") % {"url": url[:200]})
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            raise FetchError(_("Port invalide : %(url)s") % {"url": url[:200]}) from None
        address = _checked_address(parts.hostname, port)
        connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(parts.hostname, address, port, TIMEOUT)
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            connection.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308) and response.getheader("Location"):
                url = urljoin(url, response.getheader("Location"))
                continue
            if response.status != 200:
                raise FetchError(_("Le serveur a répondu %(status)s.") % {"status": response.status})
            return _read(response, max_bytes, deadline)
        except (OSError, http.client.HTTPException) as error:
            raise FetchError(_("Téléchargement impossible : %(error)s.") % {"error": error}) from None
        finally:
            connection.close()
    raise FetchError(_("Trop de redirections."))


def _read(response, max_bytes, deadline):
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise FetchError(_("Réponse trop volumineuse (plus de %(mb)s Mo).") % {"mb": max_bytes // 1024 // 1024})
    chunks, size = [], 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(_("Réponse trop volumineuse (plus de %(mb)s Mo).") % {"mb": max_bytes // 1024 // 1024})
        if time.monotonic() > deadline:
            raise FetchError(_("Téléchargement trop long (plus de %(s)s secondes).") % {"s": TOTAL_TIMEOUT})
        chunks.append(chunk)
    return b"".join(chunks)
