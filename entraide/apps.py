from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, served by the site's own AdminSite (permission rules, second factor)."""

    default_site = "entraide.admin_site.EntraideAdminSite"


class EntraideConfig(AppConfig):
    """The project itself as an app: its start-up checks and the shared cache's table."""

    name = "entraide"
    verbose_name = "Entraide Grand Est"

    def ready(self):
        from django.core import checks

        from .checks import redis_reachable

        checks.register(redis_reachable, checks.Tags.caches)
