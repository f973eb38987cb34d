from django.contrib import admin

from .models import Charter, CharterItem, CharterSection, Commitment


class CharterSectionInline(admin.TabularInline):
    model = CharterSection
    extra = 0


@admin.register(Charter)
class CharterAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    search_fields = ["title"]
    filter_horizontal = ["signatories"]
    inlines = [CharterSectionInline]


@admin.register(CharterSection)
class CharterSectionAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "charter", "position"]
    list_filter = ["charter", "kind"]
    search_fields = ["title"]


@admin.register(CharterItem)
class CharterItemAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "section", "parent", "position"]
    list_filter = ["section"]
    search_fields = ["title", "text", "code"]
    list_select_related = ["section", "parent"]


@admin.register(Commitment)
class CommitmentAdmin(admin.ModelAdmin):
    list_display = ["movement", "item"]
    list_filter = ["movement", "item__section"]
    search_fields = ["how", "item__title", "movement__name"]
    autocomplete_fields = ["item"]
    list_select_related = ["movement", "item"]
