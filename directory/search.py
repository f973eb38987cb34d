"""Accent- and case-insensitive text search on SQLite and PostgreSQL.

`Fold` is the database twin of `directory.text.fold`: PostgreSQL runs it with
the `unaccent` extension, SQLite with a Python function registered on each new
connection. On PostgreSQL, `text_search` also uses French full-text search
(stemming: "réunions" finds "réunion") through the `french_unaccent`
configuration created by migration 0002.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Func, Q, TextField, Value
from django.db.models.functions import Concat

from .text import fold

SEARCH_CONFIG = "french_unaccent"
STOPWORDS = {"de", "du", "des", "la", "le", "les", "et", "en", "au", "aux", "un", "une", "d", "l", "a"}
MAX_TOKENS = 8


class Fold(Func):
    function = "FOLD"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="lower(public.unaccent(%(expressions)s::text))")


def register_sqlite_fold(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "FOLD", 1, lambda value: None if value is None else fold(value), deterministic=True
        )


def tokens(text):
    words = [word for word in fold(text).split() if word not in STOPWORDS]
    return words[:MAX_TOKENS]


def text_search(queryset, text, fields, vendor):
    """Rows whose `fields` contain every word of `text`, ignoring accents and case.

    On PostgreSQL a stemmed full-text match also counts, so inflected French
    words find each other.
    """
    words = tokens(text)
    if not words:
        return queryset
    parts = []
    for field in fields:
        parts += [Fold(field), Value(" ")]
    queryset = queryset.annotate(haystack=Concat(*parts, output_field=TextField()))
    contains = Q()
    for word in words:
        contains &= Q(haystack__contains=word)
    if vendor != "postgresql":
        return queryset.filter(contains)
    vector = SearchVector(*fields, config=SEARCH_CONFIG)
    query = SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="plain")
    return queryset.annotate(search=vector).filter(contains | Q(search=query))
