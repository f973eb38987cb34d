from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Annuaire")

    def ready(self):
        from .search import register_sqlite_fold
        from .versioning import connect_signals

        connection_created.connect(register_sqlite_fold, dispatch_uid="directory_sqlite_fold")
        # Cached pages follow the data (entraide.http_cache).
        connect_signals()
