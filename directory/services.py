"""Logic that spans several models."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import BadHeaderError, EmailMessage
from django.db import models
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Membership
from .models.validators import as_single_line

logger = logging.getLogger(__name__)

# What a mail server that is down, unreachable or refusing raises, and what Django raises for a header it refuses.
MAIL_ERRORS = (smtplib.SMTPException, OSError, BadHeaderError)

# How close in time a child's deletion must be to its parent's to be restored with it.
CASCADE_WINDOW = timedelta(seconds=30)


def cascaded_children(model):
    """(child model, foreign key name) of the rows that deleting a `model` row deletes with it.

    Read from the models' metadata, so that a new cascading, history-keeping
    relation (from any app) is restored without this module knowing it.
    """
    return [
        (relation.related_model, relation.field.name)
        for relation in model._meta.related_objects
        if relation.on_delete is models.CASCADE
        and not relation.many_to_many
        and hasattr(relation.related_model, "revisions")
    ]


def restore_deleted(record, user):
    """Re-create a deleted object from its last historical row, with the rows its deletion cascaded to.

    Validation runs first (a meeting whose group is gone cannot come back alone),
    and saving goes through the model so that the restore itself is in the history.
    Call it inside a transaction: a failing child must undo its parent.
    """
    instance = record.instance
    instance._state.adding = True
    instance.full_clean()
    instance._history_user = user
    instance.save(force_insert=True)
    restored = [instance]
    for child_model, field_name in cascaded_children(type(instance)):
        children = (
            child_model.revisions.filter(
                history_type="-",
                history_date__gte=record.history_date - CASCADE_WINDOW,
                history_date__lte=record.history_date + CASCADE_WINDOW,
                **{f"{field_name}_id": instance.pk},
            )
            .exclude(id__in=child_model._default_manager.values("pk"))
            .order_by("id", "-history_date")
        )
        done = set()
        for child in children:
            if child.id not in done:
                done.add(child.id)
                restored += restore_deleted(child, user)
    return restored


def notify_change_request(change_request):
    """E-mail each coordinator of the movement (one message each: addresses stay private).

    A failed message is logged, not raised: the report is already saved and
    listed in the admin, and a visitor shown an error would only send it again.
    The subject is one line whatever the page's name holds (rows saved before
    validate_single_line may carry a line break, which a mail header refuses).
    """
    context = {
        "request": change_request,
        "admin_url": settings.SITE_URL + reverse("admin:directory_changerequest_change", args=[change_request.pk]),
        "public_url": settings.SITE_URL + change_request.get_absolute_url(),
    }
    subject = as_single_line(f"[Entraide Grand Est] Signalement d'erreur : {change_request.target_label}")[:150]
    body = render_to_string("directory/emails/change_request.txt", context)
    for user in Membership.coordinators_of(change_request.movement):
        try:
            EmailMessage(subject, body, to=[as_single_line(user.email)]).send()
        except MAIL_ERRORS:
            logger.exception("Signalement n°%s : courriel non envoyé à %s", change_request.pk, user.email)
