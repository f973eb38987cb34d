from django.contrib.auth.backends import ModelBackend

from .rules import is_regional_admin


class RegionalAdministratorBackend(ModelBackend):
    """Grants every permission to members of the "Administrateurs régionaux" group.

    Membership of one named group is easier to audit than a hand-picked list of
    permissions that drifts each time a model is added. It never authenticates
    anyone by itself: ModelBackend does that, behind axes.
    """

    def authenticate(self, request, **credentials):
        return None

    def has_perm(self, user_obj, perm, obj=None):
        return is_regional_admin(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return is_regional_admin(user_obj)
