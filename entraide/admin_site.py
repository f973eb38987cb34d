"""The site's admin: Django's, with the permission rules on its "view on site" shortcut."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from directory import rules


class EntraideAdminSite(admin.AdminSite):
    def get_urls(self):
        # Replaces Django's /r/<ct>/<id>/, which redirects to any row's public URL without asking who may see it.
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            *urls,
        ]

    def view_on_site(self, request, content_type_id, object_id):
        """Where a row points, only for a user who may see the row: a 404 otherwise, as if it did not exist."""
        try:
            model = ContentType.objects.get(pk=content_type_id).model_class()
            obj = model._default_manager.get(pk=object_id) if model else None
        except (ObjectDoesNotExist, ValueError, ValidationError):
            obj = None
        if obj is None or not rules.can_view(request.user, obj):
            raise Http404(_("Cet élément n'existe pas."))
        return shortcut(request, content_type_id, object_id)
