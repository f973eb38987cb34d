"""The charter's titles and texts in German and English (django-modeltranslation), as directory/translation.py.

The SFA text is French: the German and English versions are this directory's own translation,
and the page says so. The preamble, the authors and the closing words stay French (marked
lang="fr"). A text not yet translated falls back to French with the "(en français)" mark.
"""

from modeltranslation.translator import TranslationOptions, register

from .models import Charter, CharterItem, CharterSection


@register(Charter)
class CharterTranslationOptions(TranslationOptions):
    fields = ("title",)


@register(CharterSection)
class CharterSectionTranslationOptions(TranslationOptions):
    fields = ("title", "introduction")


@register(CharterItem)
class CharterItemTranslationOptions(TranslationOptions):
    fields = ("title", "text")


# The admin's history (django-simple-history) copies every column of the row: its tables need them too.
for model, options in [
    (Charter, CharterTranslationOptions),
    (CharterSection, CharterSectionTranslationOptions),
    (CharterItem, CharterItemTranslationOptions),
]:
    register(model.revisions.model)(type(f"Historical{options.__name__}", (options,), {}))
