"""Movements' fiches in French, German and English (django-modeltranslation).

Each field below gets a column per language (summary_fr, summary_de, summary_en), edited
by coordinators in the admin; reading `movement.summary` gives the page's language. French
is the reference: a text not yet translated falls back to it, and `shows_french` tells the
page to say so ("(en français)").
"""

from django.conf import settings
from django.utils.translation import get_language
from modeltranslation.translator import TranslationOptions, register

from .models import AddictionType, Movement


@register(Movement)
class MovementTranslationOptions(TranslationOptions):
    fields = (
        "summary",
        "history",
        "presentation",
        "approach",
        "audience_details",
        "activities_details",
        "volunteer_training",
        "partnerships",
        "helpline_hours",
        # The first contact: what a newcomer meets, the easy-read fiche, whom professionals call.
        "first_meeting",
        "easy_read",
        "partner_contact_name",
        "partner_contact_role",
        "partner_topics",
    )


# The admin's history (django-simple-history) copies every column of the row: its table
# needs the translated columns too.
@register(Movement.revisions.model)
class HistoricalMovementTranslationOptions(MovementTranslationOptions):
    pass


@register(AddictionType)
class AddictionTypeTranslationOptions(TranslationOptions):
    fields = ("name",)


def shows_french(obj, field):
    """True when `obj.<field>`, read in the active language, is the French text standing in for a missing one."""
    language = get_language()
    if language == settings.LANGUAGE_CODE:
        return False
    return not getattr(obj, f"{field}_{language}", "") and bool(getattr(obj, f"{field}_{settings.LANGUAGE_CODE}"))
