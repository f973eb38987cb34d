"""Accent- and case-insensitive text search on SQLite and PostgreSQL.

`Fold` is the database twin of `directory.text.fold`: PostgreSQL runs it with
the `unaccent` extension, SQLite with a Python function registered on each new
connection. On PostgreSQL, `text_search` also uses French full-text search
(stemming: "réunions" finds "réunion") through the `french_unaccent`
configuration created by migration 0002.

The folded words of each meeting are stored in `Meeting.search_text` (and, on
PostgreSQL, stemmed in `Meeting.search_vector`), written by
`MeetingQuerySet.refresh_search` (the `refresh_search` command): a search then
reads one indexed column (a trigram GIN index on PostgreSQL) instead of folding
seven columns of every row. A row saved since its last refresh has NULL there
and is matched the slow way, from its live columns, so it is never missed.
"""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Func, Q, TextField

from .text import fold

SEARCH_CONFIG = "french_unaccent"
STOPWORDS = {"de", "du", "des", "la", "le", "les", "et", "en", "au", "aux", "un", "une", "d", "l", "a"}
MAX_TOKENS = 8
# What a meeting is found by: its name, its group's, movement's, communes' and venue's names.
MEETING_TEXT_FIELDS = [
    "name",
    "group__name",
    "group__movement__name",
    "group__movement__acronym",
    "group__commune__name",
    "venue__name",
    "venue__commune__name",
]
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


class Words(Func):
    """' word word … ': the folded words of `fields`, each preceded by a space, so that ' word' starts a word.

    Written flat with `||`: Django's Concat nests one COALESCE per part, which overflows
    SQLite's parser once a count wraps the query.
    """

    output_field = TextField()

    def __init__(self, *fields):
        super().__init__(*[Fold(field) for field in fields])

    def as_sql(self, compiler, connection, **extra_context):
        pieces, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            pieces.append(f"COALESCE({sql}, '')")
            params.extend(expression_params)
        return "(' ' || " + " || ' ' || ".join(pieces) + " || ' ')", params


def haystack(fields=MEETING_TEXT_FIELDS):
    return Words(*fields)


def search_vector(text):
    return SearchVector(text, config=SEARCH_CONFIG)


def text_search(queryset, text, vendor):
    """Meetings where every word of `text` starts one of their words, ignoring accents and case.

    A word naming an addiction also finds the movements that help with it. On
    PostgreSQL, when that finds nothing, a stemmed French full-text search is
    tried, so that inflected words find each other ("réunions" → "réunion").
    """
    from .models import Movement

    words = tokens(text)
    if not words:
        return queryset
    stale = Q(search_text__isnull=True)
    # Rows saved since the last refresh are rare; without any, the live columns are left out
    # of the query, which lets PostgreSQL use the trigram index (one look-up in a partial index).
    any_stale = queryset.model.objects.filter(stale).exists()
    live = queryset.alias(haystack=haystack())
    matches = Q()
    for word in words:
        needle = f" {word} " if len(word) < WHOLE_WORD_BELOW else f" {word}"
        condition = Q(search_text__contains=needle)
        if any_stale:
            condition |= stale & Q(haystack__contains=needle)
        if word in ADDICTION_WORDS:
            condition |= Q(group__movement__in=Movement.objects.filter(addictions__slug=ADDICTION_WORDS[word]))
        matches &= condition
    found = live.filter(matches)
    if vendor != "postgresql" or found.exists():
        return found
    # Only when word starts find nothing: stemming per row costs more than the match itself.
    query = SearchQuery(" ".join(words), config=SEARCH_CONFIG, search_type="plain")
    stemmed = live.alias(live_vector=search_vector("haystack"))
    return stemmed.filter(Q(search_text__isnull=False, search_vector=query) | (stale & Q(live_vector=query)))
