"""PostgreSQL only: pg_trgm, and a trigram index on communes' search names for misspelt look-ups.

SQLite needs nothing: `CommuneQuerySet.similar` compares names with difflib there.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS commune_search_name_trgm ON directory_commune USING gin (search_name gin_trgm_ops)"
DROP = "DROP INDEX IF EXISTS commune_search_name_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("directory", "0016_movement_first_contact_texts")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index),
    ]
