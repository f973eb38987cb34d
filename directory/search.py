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
# Words shorter than this must match a whole word: "na" must not find "Anonymes" or "Nancy".
WHOLE_WORD_BELOW = 3
# Words that name an addiction: "drogue" finds the movements that help with drugs
# ("alcooliques", a word of a movement's name, is left to the text match).
ADDICTION_WORDS = {
    "alcool": "alcool",
    "alcools": "alcool",
    "drogue": "drogues",
    "drogues": "drogues",
    "cannabis": "drogues",
    "cocaine": "drogues",
    "heroine": "drogues",
    "medicament": "medicaments",
    "medicaments": "medicaments",
    "jeu": "jeux",
    "jeux": "jeux",
}


class Fold(Func):
    function = "FOLD"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # Same result as text.fold: accents and punctuation gone, so "Al-Anon" reads "al anon".
        return self.as_sql(
            compiler,
            connection,
            template="regexp_replace(lower(public.unaccent(%(expressions)s::text)), '[^a-z0-9]+', ' ', 'g')",
        )


def register_sqlite_fold(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            "FOLD", 1, lambda value: None if value is None else fold(value), deterministic=True
        )


def tokens(text):
    words = [word for word in fold(text).split() if word not in STOPWORDS]
    return words[:MAX_TOKENS]


def text_search(queryset, text, fields, vendor):
    """Rows where every word of `text` starts a word of `fields`, ignoring accents and case.

    A word naming an addiction also finds the movements that help with it. On
    PostgreSQL, when that finds nothing, a stemmed French full-text search is
    tried, so that inflected words find each other ("réunions" → "réunion").
    """
    from .models import Movement

    words = tokens(text)
    if not words:
        return queryset
    parts = [Value(" ")]
    for field in fields:
        parts += [Fold(field), Value(" ")]
    queryset = queryset.annotate(haystack=Concat(*parts, output_field=TextField()))
    matches = Q()
    for word in words:
        needle = f" {word} " if len(word) < WHOLE_WORD_BELOW else f" {word}"
        condition = Q(haystack__contains=needle)
        if word in ADDICTION_WORDS:
            condition |= Q(group__movement__in=Movement.objects.filter(addictions__slug=ADDICTION_WORDS[word]))
        matches &= condition
    found = queryset.filter(matches)
    if vendor != "postgresql" or found.exists():
        return found
    # Only when word starts find nothing: stemming per row costs more than the match itself.
    vector = SearchVector(*fields, config=SEARCH_CONFIG)
    query = SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="plain")
    return queryset.annotate(search=vector).filter(search=query)
