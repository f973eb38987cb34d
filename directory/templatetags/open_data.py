import json

from django import template
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

from ..exports import jsonld

register = template.Library()


def _script(data):
    # Same escaping as json_script: "</script>" in a name cannot close the element.
    text = json.dumps(data, ensure_ascii=False).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag
def movement_jsonld(movement):
    return _script(jsonld.ngo(movement))


@register.simple_tag
def meeting_jsonld(meeting):
    return _script(jsonld.event(meeting))
