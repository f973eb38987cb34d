"""{% breadcrumbs label url label url … %}: the trail above a public page, one markup for every page."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/breadcrumbs.html")
def breadcrumbs(*labels_and_urls):
    # Pairs from the widest page down to the parent of the current one.
    if len(labels_and_urls) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes pairs of label and URL.")
    return {"crumbs": list(zip(labels_and_urls[::2], labels_and_urls[1::2], strict=True))}
