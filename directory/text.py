"""Text normalisation shared by commune look-up and search.

The territory fixture stores each commune's `search_name` computed with the
same rules (see fixtures/territories/generate.py), so what a person types and
what is stored meet in the same form on SQLite and PostgreSQL alike.
"""

import re
import unicodedata

_ARTICLE = re.compile(r"^(le|la|les|l)\s+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text):
    """Lowercase ASCII without accents, punctuation turned into single spaces."""
    # NFKD does not split the ligatures of "Vandœuvre" or "Lætitia".
    text = str(text).lower().replace("œ", "oe").replace("æ", "ae")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_ALNUM.sub(" ", text.lower()).strip()


_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def search_name(text):
    """A commune name as people type it: folded, abbreviations spelt out, without its leading article."""
    words = [_ABBREVIATIONS.get(word, word) for word in fold(text).split()]
    return _ARTICLE.sub("", " ".join(words))
