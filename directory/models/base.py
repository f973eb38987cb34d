"""What groups, meetings and movement fiches share: publication, freshness, demo flag, scoping."""

from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import rules
from .validators import validate_verification_date

# An entry not confirmed for about six months is due for a check by its movement.
STALE_AFTER_DAYS = 183


def stale_before(today=None):
    """Entries verified before this date (or never) are due for a check."""
    return (today or timezone.localdate()) - timedelta(days=STALE_AFTER_DAYS)


class ScopedQuerySet(models.QuerySet):
    """Rows a staff user may see (or, with `editable=True`, change) in the admin.

    `movement_path` is the lookup from the model to its Movement; regional
    administrators see everything, other users only their memberships' movements.
    """

    movement_path = "movement"

    def for_user(self, user, editable=False):
        if rules.is_regional_admin(user):
            return self.all()
        if not rules.is_staff(user):
            return self.none()
        return self.filter(**{f"{self.movement_path}__in": rules.movement_ids(user, editable=editable)})

    def stale(self, today=None):
        return self.filter(Q(verified_at__isnull=True) | Q(verified_at__lt=stale_before(today)))


class Publishable(models.Model):
    """Fields of every entry a movement publishes: shown or not, checked when, real or not."""

    published = models.BooleanField(_("publié"), default=False)
    is_demo = models.BooleanField(_("exemple"), default=False, help_text=_("Donnée de démonstration, jamais réelle."))
    verified_at = models.DateField(
        _("informations vérifiées le"), null=True, blank=True, validators=[validate_verification_date]
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True
