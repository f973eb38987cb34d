"""Who may do what: the roles behind every permission decision.

- regional administrators (superusers, or staff in the "Administrateurs régionaux"
  group) may do everything;
- a coordinator changes the rows of the movements they coordinate;
- an observer sees the rows of the movements they observe, and changes nothing.

Querysets (`for_user`) and the admin (`directory.scoping`) both ask here.
"""

from django.apps import apps

REGIONAL_ADMINS_GROUP = "Administrateurs régionaux"


def is_staff(user):
    return user.is_authenticated and user.is_active and user.is_staff


def is_regional_admin(user):
    """Superusers and members of the "Administrateurs régionaux" group may do everything."""
    if not is_staff(user):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_regional_admin", None)
    if cached is None:
        cached = user._is_regional_admin = user.groups.filter(name=REGIONAL_ADMINS_GROUP).exists()
    return cached


def movement_ids(user, editable=False):
    """A subquery of the movements `user` coordinates (`editable`) or may see."""
    # Looked up at call time: the models import this module.
    membership = apps.get_model("directory", "Membership")
    memberships = membership.objects.filter(user=user)
    if editable:
        memberships = memberships.filter(role=membership.Role.COORDINATOR)
    return memberships.values("movement")
