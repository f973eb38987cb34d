"""French prepositions before a place name: "d'Épinal", "du Thillot", "au Thillot", "aux Forges"."""

from django import template
from django.utils.translation import get_language

from ..text import fold

register = template.Library()

# (article as written, form after "de", form after "à")
ARTICLES = [("Le ", "du ", "au "), ("Les ", "des ", "aux "), ("La ", "de la ", "à la "), ("L'", "de l'", "à l'")]


def _with(name, position, plain):
    # German and English translations place the bare name themselves ("im Umkreis von 20 km um Nancy").
    if get_language() != "fr":
        return name
    name = str(name).replace("’", "'")
    for article, *forms in ARTICLES:
        if name.startswith(article):
            return forms[position] + name[len(article) :]
    if position == 0 and fold(name)[:1] in set("aeiouyh"):
        return "d'" + name
    return plain + name


@register.filter
def de(name):
    return _with(name, 0, "de ")


@register.filter(name="a")
def a_(name):
    return _with(name, 1, "à ")
