"""PostgreSQL only: unaccent, and a French full-text configuration that ignores accents.

SQLite needs nothing here: directory.search registers a FOLD function instead.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

CREATE = """
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
    CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
    ALTER TEXT SEARCH CONFIGURATION french_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
END $$;
"""
DROP = "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent;"


def create_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_config(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        UnaccentExtension(),
        migrations.RunPython(create_config, drop_config),
    ]
