from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """Django's admin, served by the site's own AdminSite (permission rules, second factor)."""

    default_site = "entraide.admin_site.EntraideAdminSite"
