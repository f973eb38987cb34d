"""The table of the anonymous pages' cache when there is no Redis (entraide/http_cache.py), created by `migrate`.

Apart from the shared cache's table so that culling pages never removes a
report rate limit's counter. Created whatever CACHES says, as 0001.
"""

from django.conf import settings
from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, settings.PAGE_CACHE_TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(settings.PAGE_CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("entraide", "0001_shared_cache_table")]
    operations = [migrations.RunPython(create_table, drop_table)]
