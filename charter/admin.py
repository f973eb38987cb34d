from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from directory.scoping import HistoryAdminMixin, MovementScopedAdmin, ReferenceAdminMixin, RulesAdminMixin

from .models import Charter, CharterItem, CharterSection, Commitment


# TranslationAdmin: one field per language for the translated titles and texts (charter/translation.py).
class CharterSectionInline(RulesAdminMixin, TranslationTabularInline):
    model = CharterSection
    extra = 0


# The charter is reference text: coordinators and observers read it, administrators edit it.
@admin.register(Charter)
class CharterAdmin(ReferenceAdminMixin, HistoryAdminMixin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "slug"]
    search_fields = ["title"]
    filter_horizontal = ["signatories"]
    inlines = [CharterSectionInline]


@admin.register(CharterSection)
class CharterSectionAdmin(ReferenceAdminMixin, HistoryAdminMixin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "kind", "charter", "position"]
    list_filter = ["charter", "kind"]
    search_fields = ["title"]


@admin.register(CharterItem)
class CharterItemAdmin(ReferenceAdminMixin, HistoryAdminMixin, SimpleHistoryAdmin, TranslationAdmin):
    list_display = ["title", "code", "section", "parent", "position"]
    list_filter = ["section"]
    search_fields = ["title", "text", "code"]
    list_select_related = ["section", "parent"]


@admin.register(Commitment)
class CommitmentAdmin(MovementScopedAdmin):
    list_display = ["movement", "item", "is_demo"]
    list_filter = [("movement", admin.RelatedOnlyFieldListFilter), "item__section", "is_demo"]
    search_fields = ["how", "item__title", "movement__name"]
    autocomplete_fields = ["item"]
    list_select_related = ["movement", "item"]
