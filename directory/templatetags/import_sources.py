"""The meeting sources /donnees/ lists, for templates whose view knows nothing of them."""

from django import template

from ..models import Source

register = template.Library()


@register.simple_tag
def public_sources():
    return list(Source.objects.public().select_related("movement").order_by("movement__name", "name"))
