"""Settings for Entraide Grand Est.

One module, driven by environment variables. Local defaults are safe for a
developer's machine (SQLite, DEBUG on, throwaway secret); production must set
DEBUG=0, SECRET_KEY and ALLOWED_HOSTS, and refuses to start otherwise.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=True)
_INSECURE_KEY = "django-insecure-local-development-only"
SECRET_KEY = env("SECRET_KEY", _INSECURE_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://localhost:8000").rstrip("/")
# Where the admin lives: a less obvious path keeps password-guessing robots away from the login
# form (it is never listed in robots.txt). "gestion/" -> https://…/gestion/.
ADMIN_URL = env("ADMIN_URL", "admin/").strip("/") + "/"
# The territory covered: an INSEE region code (its name comes from the loaded reference data), or "all" for France.
REGION = env("REGION", "44")

if not DEBUG:
    # Fail loudly rather than run a public site with a known key or open hosts.
    if SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 32:
        raise ImproperlyConfigured("SECRET_KEY doit être défini (32 caractères au moins) quand DEBUG=0.")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS doit lister les noms du site quand DEBUG=0.")
if ADMIN_URL == "/":
    raise ImproperlyConfigured("ADMIN_URL ne peut pas être vide : indiquez un chemin, par exemple « gestion/ ».")

INSTALLED_APPS = [
    # Before the admin, as django-modeltranslation requires (directory/translation.py).
    "modeltranslation",
    "entraide.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # SearchVectorField (directory.search); nothing of it runs on SQLite.
    "django.contrib.postgres",
    "django_filters",
    "js_lib_leaflet",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "directory",
    "charter",
    "entraide.apps.EntraideConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so that static files get the header too.
    "entraide.middleware.permissions_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body (CSRF middleware parses POST data).
    "entraide.middleware.public_body_limit",
    # After whitenoise (static files are pre-compressed), before anything that reads the response body.
    "entraide.middleware.PublicGZipMiddleware",
    # Inside compression (pages are stored uncompressed, compressed per request), outside everything
    # that may set a cookie, so that it sees the final response (entraide/http_cache.py).
    "entraide.http_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before common (whose APPEND_SLASH must resolve prefixed paths): see the module.
    "entraide.language.URLLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): did this session pass the second factor (entraide.two_factor)?
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Records who made each change in the admin history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "directory.backends.RegionalAdministratorBackend",
]

ROOT_URLCONF = "entraide.urls"
WSGI_APPLICATION = "entraide.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "directory.context_processors.site",
            ],
        },
    },
]

# SQLite by default so that a newcomer needs nothing installed; PostgreSQL
# (production, CI) when DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds state every worker and replica must share (the report rate limit):
# Redis when REDIS_URL is set, else a table of the database (created by `migrate`).
# Never a per-process cache: with 3 workers it would allow 3 times the limit.
# "pages" holds the anonymous public pages and the data's version (entraide/http_cache.py,
# directory/versioning.py); apart, so that pages never crowd the rate limit's counters out.
REDIS_URL = env("REDIS_URL")
CACHE_TABLE = "entraide_cache"
PAGE_CACHE_TABLE = "entraide_page_cache"
if REDIS_URL:
    _REDIS = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # A Redis that stops answering must not hold a worker thread for long.
        "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
    }
    CACHES = {"default": _REDIS, "pages": {**_REDIS, "KEY_PREFIX": "pages"}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE},
        # Pages expire with their time slice; the bound keeps the table small between two culls.
        "pages": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": PAGE_CACHE_TABLE,
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }
# Anonymous public pages are answered from the shared cache and revalidated (ETag, 304) within
# time slices of this many seconds, aligned on the clock (300: 20:00, 20:05…); 0 disables it.
# Lists read from "now", so this bounds how late a page is about meetings starting or ending
# off those boundaries; a change of the data is seen at once (entraide/http_cache.py).
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "300"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
# French at the unprefixed URLs, German under /de/, English under /en/ (issue 13): only the
# URL decides (entraide/language.py), never Accept-Language or a cookie. Each name is
# written in its own language, as the language switch shows it.
LANGUAGES = [("fr", "Français"), ("de", "Deutsch"), ("en", "English")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# Movements' texts (directory/translation.py): a missing German or English text shows the French one.
MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))

SESSION_COOKIE_AGE = 60 * 60 * 8
# Coordinators often use shared computers (associations' premises, hospitals).
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", "31536000"))
    # Defaults that `check --deploy` accepts; set them to 0 only if a subdomain is still served over HTTP.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    # Container and proxy health checks speak plain HTTP to the app itself.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

_EMAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
MAILERS = {"default": {"BACKEND": _EMAIL_BACKEND}}
if _EMAIL_BACKEND.endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env("EMAIL_HOST", "localhost"),
        "port": int(env("EMAIL_PORT", "587")),
        "username": env("EMAIL_HOST_USER"),
        "password": env("EMAIL_HOST_PASSWORD"),
        "use_tls": env_bool("EMAIL_USE_TLS", default=True),
    }
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Entraide Grand Est <ne-pas-repondre@localhost>")

# The map's tiles are the only third-party request a public page may make;
# leave MAP_TILE_URL empty to serve maps without tiles (list only).
MAP_TILE_URL = env("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# The default is translated with the page (the map speaks the page's language).
MAP_TILE_ATTRIBUTION = os.environ.get("MAP_TILE_ATTRIBUTION")
if MAP_TILE_ATTRIBUTION is None:
    MAP_TILE_ATTRIBUTION = _(
        '&copy; <a href="https://www.openstreetmap.org/copyright">contributeurs OpenStreetMap</a>'
    )

# Number of reverse proxies in front of the app whose X-Forwarded-For can be trusted
# (0: use REMOTE_ADDR). Read by directory.http.client_ip: login lockout, report rate limit, logs.
PROXY_COUNT = int(env("PROXY_COUNT", "0"))

# django-axes: lock a username out from one IP address after repeated failures,
# without letting an attacker lock a coordinator out from everywhere.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
# The same address as the report rate limit and the logs (see directory/http.py).
AXES_CLIENT_IP_CALLABLE = "directory.http.client_ip"
AXES_USERNAME_CALLABLE = "directory.http.login_username"
# Attempts during a lockout must not restart it, or an attacker could keep a coordinator out forever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False

# Two-factor login (entraide.two_factor): always for regional administrators, for coordinators when set.
OTP_REQUIRED_FOR_COORDINATORS = env_bool("OTP_REQUIRED_FOR_COORDINATORS", default=False)
OTP_TOTP_ISSUER = "Entraide Grand Est"
# Administrators may delete a lost device, never read its secret.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Error reports from the public: at most this many per IP address per hour.
CHANGE_REQUEST_RATE_LIMIT = int(env("CHANGE_REQUEST_RATE_LIMIT", "5"))
# Public forms (error reports) carry a few kilobytes: a bigger body is refused with 413
# before it is parsed. The admin keeps Django's limits (CSV import).
PUBLIC_MAX_BODY_SIZE = 64 * 1024
# Browser features the site never uses; geolocation stays available to the site itself ("près de moi").
PERMISSIONS_POLICY = (
    "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), serial=(), bluetooth=(), "
    "midi=(), magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), browsing-topics=()"
)
# The freshness reminder is not sent again to the same person within this many days.
FRESHNESS_REMINDER_INTERVAL_DAYS = int(env("FRESHNESS_REMINDER_INTERVAL_DAYS", "30"))


def _origin(url_template):
    """'https://{s}.tile.example.org/{z}/…' -> 'https://*.tile.example.org'."""
    scheme, _, rest = url_template.partition("://")
    host = rest.split("/", 1)[0].replace("{s}", "*")
    return f"{scheme}://{host}" if scheme and host else None


# Public pages load nothing from elsewhere but the map tiles, when configured.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *filter(None, [_origin(MAP_TILE_URL)])],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Records about a request (errors, refused hosts…) name the visitor as the lockout and rate limit see them.
    "filters": {"client": {"()": "directory.http.ClientAddressFilter"}},
    "formatters": {"client": {"format": "%(levelname)s %(name)s [%(client_ip)s] %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client"], "formatter": "client"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}
