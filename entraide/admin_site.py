"""The site's admin: Django's, with a second factor at login, the permission rules on its shortcut,
and the coordinators' home as its index."""

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from directory import admin_home, rules

from . import two_factor


class EntraideAdminSite(admin.AdminSite):
    login_form = two_factor.TwoFactorAuthenticationForm
    login_template = "admin/otp_login.html"

    # Plain strings, as before: the admin's titles are French whatever the language.
    site_header = "Entraide Grand Est – administration"
    site_title = "Entraide Grand Est"
    index_title = "Annuaire des mouvements d'entraide"

    def index(self, request, extra_context=None):
        """The first screen after login: a coordinator's movements and what needs her (directory/admin_home.py)."""
        return super().index(request, {**admin_home.home_context(request), **(extra_context or {})})

    def each_context(self, request):
        return admin_home.label_menu(request, super().each_context(request))

    def has_permission(self, request):
        user = request.user
        return super().has_permission(request) and (user.is_verified() or not two_factor.must_verify(user))

    def login(self, request, extra_context=None):
        # Signed in with a password but owing a second factor they have not set up yet: set it up first.
        user = request.user
        if (
            request.method == "GET"
            and rules.is_staff(user)
            and not two_factor.has_second_factor(user)
            and rules.requires_second_factor(user)
        ):
            return HttpResponseRedirect(reverse("admin:two_factor", current_app=self.name))
        return super().login(request, extra_context)

    def get_urls(self):
        # Replaces Django's /r/<ct>/<id>/, which redirects to any row's public URL without asking who may see it.
        urls = [url for url in super().get_urls() if getattr(url, "name", None) != "view_on_site"]
        return [
            path(
                "r/<int:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            ),
            # Not behind admin_view: it is where a user owing a second factor gets one.
            path("double-authentification/", self.two_factor_view, name="two_factor"),
            *urls,
        ]

    def two_factor_view(self, request):
        return two_factor.enrolment_view(request, self)

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
