"""Stored search words of meetings; on PostgreSQL, their GIN indexes (trigram for word starts, full text).

SQLite gets the columns and the partial index of rows to refresh; its LIKE needs no index here.
"""

import directory.models.meetings
import directory.models.validators
import django.contrib.postgres.search
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


GIN_INDEXES = [
    "CREATE INDEX IF NOT EXISTS meeting_search_text_trgm ON directory_meeting USING gin (search_text gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS meeting_search_vector_gin ON directory_meeting USING gin (search_vector)",
]


def create_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in GIN_INDEXES:
            schema_editor.execute(sql)


def drop_gin_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS meeting_search_text_trgm")
        schema_editor.execute("DROP INDEX IF EXISTS meeting_search_vector_gin")


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0011_source_fields_refuse_control_characters'),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name='meeting',
            name='search_text',
            field=directory.models.meetings.SearchTextField(editable=False, null=True, validators=[directory.models.validators.validate_text], verbose_name='texte de recherche'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True, verbose_name='vecteur de recherche'),
        ),
        migrations.AddIndex(
            model_name='meeting',
            index=models.Index(condition=models.Q(('search_text__isnull', True)), fields=['id'], name='meeting_search_stale'),
        ),
        migrations.RunPython(create_gin_indexes, drop_gin_indexes),
    ]
