"""Who may do what: every permission decision of the admin, in one module.

- regional administrators (superusers, or staff in the "Administrateurs régionaux"
  group) may do everything;
- a coordinator sees and changes the rows of the movements they coordinate (a
  movement's fiche: changed, never created, deleted or renamed in its URL);
- an observer sees the rows of the movements they observe, and changes nothing;
- reference data (territories, addictions, the charter) is read by every member
  and changed by administrators only;
- venues are shared places: every member sees them, every coordinator uses and
  creates them, and changes or deletes only those no other movement uses
  (VenueQuerySet.editable_by);
- anything else (users, rattachements, reminders) is for administrators only;
- a revert or a restore writes an old version over the current row: it needs the
  right to change the current row (or to add one, when it was deleted) AND the
  version written must be the user's too.

The predicates (can_view, can_add, can_change, can_delete, can_restore) take a
model class (may they, for some row?) or an instance. The admin
(directory.scoping, directory.admin, charter.admin), the admin site's shortcut and
the authentication backend ask them; querysets (`for_user`, `editable_by`) state
the same rules for lists, with the ids from `movement_ids`.
"""

from django.apps import apps
from django.conf import settings

REGIONAL_ADMINS_GROUP = "Administrateurs régionaux"

# Read by every member, changed by administrators only.
REFERENCE_MODELS = {
    "directory.region",
    "directory.department",
    "directory.commune",
    "directory.addictiontype",
    "charter.charter",
    "charter.chartersection",
    "charter.charteritem",
}
VENUE = "directory.venue"
# A movement is created, or deleted with all its groups, by an administrator only.
ADDED_BY_ADMINS = {"directory.movement"}
DELETED_BY_ADMINS = {"directory.movement", "directory.changerequest", "directory.freshnessreminder"}
# Written by the site itself (public reports, reminders sent), never created in the admin.
NEVER_ADDED = {"directory.changerequest", "directory.freshnessreminder"}
NEVER_CHANGED = {"directory.freshnessreminder"}


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


def member_movement_ids(user, editable=False):
    """The same ids as a set, cached on the user object (one per request)."""
    if not is_staff(user):
        return set()
    cache = user.__dict__.setdefault("_member_movement_ids", {})
    if editable not in cache:
        cache[editable] = set(movement_ids(user, editable=editable).values_list("movement", flat=True))
    return cache[editable]


def is_member(user):
    """Staff attached to at least one movement, whatever the role."""
    return bool(member_movement_ids(user))


def is_coordinator(user):
    return bool(member_movement_ids(user, editable=True))


def _model(target):
    return target if isinstance(target, type) else type(target)


def movement_path(model):
    """The lookup from `model` to its movement (ScopedQuerySet.movement_path), None if it has none."""
    queryset_class = getattr(model._default_manager, "_queryset_class", None)
    return getattr(queryset_class, "movement_path", None)


def movement_id_of(obj):
    """The movement a row (or a historical version's instance) belongs to, as of now.

    A meeting belongs to its group's current movement; when that group is
    deleted, to the group's last known one.
    """
    path = movement_path(type(obj))
    if path == "pk":
        return obj.pk
    name, _, rest = path.partition("__")
    field = obj._meta.get_field(name)
    value = getattr(obj, field.attname)
    if not rest or value is None:
        return value
    related = field.related_model
    if field.is_cached(obj) and movement_path(related) == rest:
        # Already loaded by the caller (the trash loads a page of rows' groups at once): no query per row.
        loaded = field.get_cached_value(obj)
        if loaded is not None and loaded.pk == value:
            return movement_id_of(loaded)
    found = related._default_manager.filter(pk=value).values_list(rest, flat=True).first()
    if found is None and hasattr(related, "revisions"):
        last = related.revisions.filter(**{related._meta.pk.attname: value}).order_by("-history_date").first()
        found = movement_id_of(last.instance) if last else None
    return found


def _kind(model):
    label = model._meta.label_lower
    if label in REFERENCE_MODELS:
        return "reference"
    if label == VENUE:
        return "venue"
    if movement_path(model) is not None:
        return "scoped"
    return "administration"


def _in_scope(user, target, editable):
    ids = member_movement_ids(user, editable=editable)
    if isinstance(target, type):
        return bool(ids)
    return movement_id_of(target) in ids


def can_view(user, target):
    if is_regional_admin(user):
        return True
    if not is_staff(user):
        return False
    kind = _kind(_model(target))
    if kind in ("reference", "venue"):
        return is_member(user)
    if kind == "scoped":
        return _in_scope(user, target, editable=False)
    return False


def can_add(user, model):
    label = model._meta.label_lower
    if label in NEVER_ADDED:
        return False
    if is_regional_admin(user):
        return True
    if not is_staff(user) or label in ADDED_BY_ADMINS:
        return False
    return _kind(model) in ("scoped", "venue") and is_coordinator(user)


def can_change(user, target):
    if _model(target)._meta.label_lower in NEVER_CHANGED:
        return False
    if is_regional_admin(user):
        return True
    if not is_staff(user):
        return False
    kind = _kind(_model(target))
    if kind == "scoped":
        return _in_scope(user, target, editable=True)
    if kind == "venue":
        if isinstance(target, type):
            return is_coordinator(user)
        return type(target).objects.editable_by(user).filter(pk=target.pk).exists()
    return False


def can_delete(user, target):
    if _model(target)._meta.label_lower in DELETED_BY_ADMINS:
        return is_regional_admin(user)
    return can_change(user, target)


def can_restore(user, version, current=None, instance=None):
    """May `user` write the historical `version` back: over `current`, or as a new row when it was deleted.

    `instance` is the version's object when the caller has built it already (simple-history's
    `version.instance` costs a query for a model with excluded fields).
    """
    instance = instance if instance is not None else version.instance
    model = type(instance)
    if current is not None and not can_change(user, current):
        return False
    if current is None and not can_add(user, model):
        return False
    if is_regional_admin(user):
        return True
    kind = _kind(model)
    if kind == "scoped":
        return _in_scope(user, instance, editable=True)
    if kind == "venue":
        # A venue has no movement: changing the current one is enough. A deleted venue had no
        # meetings left (PROTECT): whoever deleted it may bring it back.
        return current is not None or version.history_user_id == user.pk
    return False


def readonly_fields(user, model):
    """Fields of `model` only an administrator changes."""
    if is_regional_admin(user):
        return []
    names = {field.name for field in model._meta.fields}
    # Ticked by mistake, the demo flag drops a real entry from every export; a movement's slug is its URL.
    fields = ["is_demo"] if "is_demo" in names else []
    if model._meta.label_lower == "directory.movement":
        fields.append("slug")
    return fields


def requires_second_factor(user):
    """Regional administrators always; coordinators when settings.OTP_REQUIRED_FOR_COORDINATORS says so."""
    if is_regional_admin(user):
        return True
    return settings.OTP_REQUIRED_FOR_COORDINATORS and is_coordinator(user)
