"""Small builders for test data on top of the real reference fixtures."""

from datetime import date, time
from itertools import count

from directory.models import Commune, Group, Meeting, Movement, Venue

_seq = count(1)

NANCY = "54395"
METZ = "57463"
EPINAL = "88160"


def get_movement(slug="vie-libre"):
    return Movement.objects.get(slug=slug)


def make_group(movement_slug="vie-libre", insee=NANCY, published=True, **fields):
    fields.setdefault("name", f"Groupe de test {next(_seq)}")
    return Group.objects.create(
        movement=get_movement(movement_slug), commune=Commune.objects.get(pk=insee), published=published, **fields
    )


def make_venue(insee=NANCY, **fields):
    commune = Commune.objects.get(pk=insee)
    fields.setdefault("name", f"Salle de test {next(_seq)}")
    fields.setdefault("address", "1 rue de l'Essai")
    fields.setdefault("postal_code", commune.postal_code)
    return Venue.objects.create(commune=commune, **fields)


def make_meeting(group=None, venue=None, published=True, **fields):
    """A published weekly Tuesday 20:00–22:00 meeting; in person at a new venue unless told otherwise."""
    group = group or make_group()
    if fields.get("modality", Meeting.Modality.IN_PERSON) != Meeting.Modality.ONLINE and venue is None:
        venue = make_venue(insee=group.commune_id)
    fields.setdefault("weekday", Meeting.Weekday.TUESDAY)
    fields.setdefault("start_time", time(20, 0))
    fields.setdefault("end_time", time(22, 0))
    fields.setdefault("starts_on", date(2026, 1, 6))
    return Meeting.objects.create(group=group, venue=venue, published=published, **fields)


def make_user(username=None, **fields):
    from django.contrib.auth import get_user_model

    username = username or f"user{next(_seq)}"
    fields.setdefault("email", f"{username}@example.org")
    fields.setdefault("is_staff", True)
    return get_user_model().objects.create_user(username=username, password="Mot-de-passe-long-42", **fields)


def make_coordinator(*movement_slugs, role=None, **fields):
    """A staff user attached to the given movements (coordinator unless `role` says otherwise)."""
    from directory.models import Membership

    user = make_user(**fields)
    for slug in movement_slugs:
        Membership.objects.create(user=user, movement=get_movement(slug), role=role or Membership.Role.COORDINATOR)
    return user


def make_regional_admin(**fields):
    from django.contrib.auth.models import Group as UserGroup

    from directory.models import REGIONAL_ADMINS_GROUP

    user = make_user(**fields)
    user.groups.add(UserGroup.objects.get_or_create(name=REGIONAL_ADMINS_GROUP)[0])
    return user
