"""Each meeting's text in the per-meeting exports, stored so that a feed is read, not rebuilt.

Written only by `directory.exports.stored` (the refresh_exports command); read by the
export views, which rebuild on the fly any row that is not fresh. A separate table:
the finder reads meetings with all their columns, and must not carry kilobytes of text.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .meetings import Meeting


class MeetingExport(models.Model):
    # Machine data, never typed: not editable.
    meeting = models.OneToOneField(
        Meeting, models.CASCADE, primary_key=True, related_name="export", verbose_name=_("réunion"), editable=False
    )
    # What the texts were built from: the versions (`updated_at`) of the meeting, its group,
    # movement and venue, and the format (EXPORT_VERSION, language, site). An edit of any of
    # them, or a new format, makes the texts stale at once, without any signal.
    meeting_at = models.DateTimeField(_("version de la réunion"), editable=False)
    group_at = models.DateTimeField(_("version du groupe"), editable=False)
    movement_at = models.DateTimeField(_("version du mouvement"), editable=False)
    venue_at = models.DateTimeField(_("version du lieu"), null=True, editable=False)
    format = models.CharField(_("format"), max_length=100, editable=False)
    # The first day the texts would read differently (a new meeting starts, a suspension begins).
    valid_until = models.DateField(_("valable jusqu'au"), null=True, editable=False)
    meeting_guide = models.TextField(_("Meeting Guide (JSON)"), editable=False)
    ics = models.TextField(_("iCalendar (VEVENT)"), blank=True, editable=False)
    # The CSV line around its one query-dependent cell, the distance to the searched commune.
    csv_head = models.TextField(_("CSV, avant la distance"), editable=False)
    csv_tail = models.TextField(_("CSV, après la distance"), editable=False)
    data_inclusion = models.TextField(_("data·inclusion, service (JSON)"), editable=False)

    class Meta:
        verbose_name = _("export d'une réunion")
        verbose_name_plural = _("exports des réunions")

    def __str__(self):
        return str(self.meeting_id)
