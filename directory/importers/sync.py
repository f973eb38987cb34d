"""Keeping a movement's meetings in step with one of its sources.

A run parses the payload into Records, then, inside one transaction (rolled
back for a dry run or a preview):
- a record seen for the first time creates its group (if needed), venue (if
  needed) and meeting, published, and an ImportedRecord with the values imported;
- a record seen before is compared field by field with the values last imported:
  a field changed at the source and untouched here is updated; a field changed at
  the source *and* edited here since becomes a conflict, left for a coordinator
  to resolve in the admin (`keep_local` / `take_source`), never overwritten;
- a meeting missing from the payload counts a missed run; after the source's
  `missed_runs_to_close` it is closed (never deleted), and reopened if it returns.
Every write carries the source as its history change reason (and the confirming
user, if any). A record that cannot be saved is rejected with its reason; the
others still import.
"""

from datetime import time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Group, ImportedRecord, Meeting, Source, Venue
from . import bmlt, csv_source, meeting_guide
from .fetch import FetchError, fetch
from .records import PayloadError

PARSERS = {
    Source.Kind.BMLT: bmlt.parse,
    Source.Kind.MEETING_GUIDE: meeting_guide.parse,
    Source.Kind.CSV: csv_source.parse,
}
# Meeting fields a source sets, compared run after run; "venue" and "group" are their ids.
TRACKED = [
    "group",
    "name",
    "type",
    "audience",
    "frequency",
    "interval",
    "weekday",
    "positions",
    "start_time",
    "end_time",
    "modality",
    "venue",
    "video_url",
    "phone",
    "languages",
    "notes",
]
TIME_FIELDS = {"start_time", "end_time"}
# Fields that only make sense together: when one is in conflict, a source change to another waits with it.
LINKED = [{"start_time", "end_time"}, {"modality", "venue", "video_url", "phone"}]


def decode(payload):
    if isinstance(payload, str):
        return payload
    try:
        return payload.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PayloadError(_("Le contenu n'est pas du texte UTF-8.")) from None


def parse(kind, payload, movement, filter_value=""):
    return PARSERS[kind](decode(payload), movement, filter_value)


def _json(field, value):
    if field in TIME_FIELDS:
        return value.strftime("%H:%M") if value else None
    return value


def current_values(meeting):
    values = {field: getattr(meeting, field) for field in TRACKED if field not in ("venue", "group")}
    values |= {"venue": meeting.venue_id, "group": meeting.group_id}
    return {field: _json(field, value) for field, value in values.items()}


def _set(meeting, field, value):
    if field in ("venue", "group"):
        setattr(meeting, f"{field}_id", value)
    elif field in TIME_FIELDS:
        setattr(meeting, field, time.fromisoformat(value))
    else:
        setattr(meeting, field, value)


def field_label(field):
    return str(Meeting._meta.get_field(field).verbose_name)


def _label(record):
    fields = record.fields
    day = Meeting.Weekday(fields["weekday"]).label
    name = fields["name"] or record.group_name
    return f"{record.external_id} – {name} ({day} {_json('start_time', fields['start_time'])}, {record.commune.name})"


def _meeting_label(record):
    meeting = record.meeting
    return f"{record.external_id} – {meeting.title} ({meeting.get_weekday_display()} {meeting.start_time:%H:%M})"


def _stamp(obj, source, user):
    obj._change_reason = source.change_reason
    obj._history_user = user


def _group(source, record, user):
    group = Group.objects.filter(movement=source.movement, commune=record.commune, name=record.group_name).first()
    if group is None:
        group = Group(movement=source.movement, commune=record.commune, name=record.group_name, published=True)
        _stamp(group, source, user)
        group.save()
    return group


def _venue(source, data, user):
    if data is None:
        return None
    found = Venue.objects.filter(name__iexact=data.name, commune=data.commune, address__iexact=data.address).first()
    if found:
        return found
    venue = Venue(**vars(data))
    venue.full_clean()
    _stamp(venue, source, user)
    venue.save()
    return venue


def _messages(error):
    if hasattr(error, "message_dict"):
        return "; ".join(
            (f"{field_label(field)} : " if field in TRACKED else "") + " ".join(msgs)
            for field, msgs in error.message_dict.items()
        )
    return " ".join(error.messages)


class Run:
    def __init__(self, source, user=None):
        self.source, self.user, self.now = source, user, timezone.now()
        self.report = {
            "created": [],
            "changed": [],
            "unchanged": 0,
            "closed": [],
            "conflicts": [],
            "rejected": [],
            "warnings": [],
        }

    def apply(self, record, existing):
        if existing is not None and existing.meeting is None:
            self.report["unchanged"] += 1  # deleted here on purpose: not brought back
            return
        group = _group(self.source, record, self.user)
        venue = _venue(self.source, record.venue, self.user)
        new = {field: _json(field, value) for field, value in record.fields.items()}
        new |= {"venue": venue.pk if venue else None, "group": group.pk}
        if existing is None:
            self.create(record, new)
        else:
            self.update(record, existing, new)

    def create(self, record, new):
        meeting = Meeting(published=True, verified_at=timezone.localdate())
        for field, value in new.items():
            _set(meeting, field, value)
        meeting.full_clean()
        _stamp(meeting, self.source, self.user)
        meeting.save()
        ImportedRecord.objects.create(
            source=self.source, external_id=record.external_id, meeting=meeting, values=new, last_seen_at=self.now
        )
        self.report["created"].append(_label(record))

    def update(self, record, existing, new):
        meeting = existing.meeting
        local, last = current_values(meeting), existing.values
        changes, conflicts = {}, {}
        for field in TRACKED:
            if new[field] == last.get(field):
                continue  # unchanged at the source: a local edit stands
            if local[field] in (last.get(field), new[field]):
                changes[field] = new[field]
            else:
                conflicts[field] = {"local": local[field], "source": new[field]}
        for fields in LINKED:
            if fields & conflicts.keys():
                for field in fields & changes.keys():
                    conflicts[field] = {"local": local[field], "source": changes.pop(field)}
        reopen = existing.closed_by_sync and meeting.status == Meeting.Status.CLOSED
        written = {field: value for field, value in changes.items() if local[field] != value}
        if written or reopen:
            for field, value in written.items():
                _set(meeting, field, value)
            if reopen:
                meeting.status = Meeting.Status.ACTIVE
            meeting.verified_at = timezone.localdate()
            meeting.full_clean()
            _stamp(meeting, self.source, self.user)
            meeting.save()
            names = [field_label(field) for field in written] + ([_("rouverte")] if reopen else [])
            self.report["changed"].append({"label": _meeting_label(existing), "fields": names})
        else:
            self.report["unchanged"] += 1
        if conflicts:
            self.report["conflicts"].append(
                {"label": _meeting_label(existing), "fields": [field_label(field) for field in conflicts]}
            )
        existing.values = last | changes
        existing.conflicts = conflicts
        existing.missed_runs, existing.closed_by_sync, existing.last_seen_at = 0, False, self.now
        existing.save()

    def miss(self, existing):
        existing.missed_runs += 1
        meeting = existing.meeting
        if (
            meeting is not None
            and existing.missed_runs >= self.source.missed_runs_to_close
            and meeting.status != Meeting.Status.CLOSED
        ):
            meeting.status = Meeting.Status.CLOSED
            meeting.suspended_until = None
            _stamp(meeting, self.source, self.user)
            meeting.save()
            existing.closed_by_sync = True
            self.report["closed"].append(_meeting_label(existing))
        existing.save()


def run(source, payload, apply=False, user=None):
    """Parse `payload` and bring the source's meetings in step; a report (dict). Writes nothing unless `apply`.

    PayloadError when the payload cannot be read at all.
    """
    parsed = parse(source.kind, payload, source.movement, source.filter)
    job = Run(source, user)
    job.report["rejected"] = [list(item) for item in parsed.rejected]
    job.report["warnings"] = [list(item) for item in parsed.warnings]
    with transaction.atomic():
        existing = {r.external_id: r for r in source.records.select_related("meeting__group")}
        # A meeting present but malformed at the source is not missing: it is not closed for it.
        seen = set()
        rejected = {key for key, _reason in parsed.rejected}
        for record in parsed.records:
            if record.external_id in seen:
                job.report["rejected"].append([record.external_id, _("Identifiant en double dans la source.")])
                continue
            seen.add(record.external_id)
            try:
                # A savepoint per record: one that fails leaves nothing behind, the others go on.
                with transaction.atomic():
                    job.apply(record, existing.get(record.external_id))
            except ValidationError as error:
                job.report["rejected"].append([record.external_id, _messages(error)])
        for external_id, imported in existing.items():
            if external_id not in seen and external_id not in rejected:
                job.miss(imported)
        if not apply:
            transaction.set_rollback(True)
    return job.report


def load(source):
    """The source's current payload as text: its URL fetched safely, or its uploaded file."""
    if source.url:
        return decode(fetch(source.url))
    if not source.uploaded_data:
        raise PayloadError(_("Ni adresse ni fichier déposé."))
    return source.uploaded_data


def record_run(source, report, status, payload=""):
    source.status, source.last_report, source.last_run_at = status, report, timezone.now()
    source.pending_payload = payload
    fields = ["status", "last_report", "last_run_at", "pending_payload"]
    if status == Source.Status.APPLIED:
        source.last_synced_at = source.last_run_at
        fields.append("last_synced_at")
    # update_fields: a run is not an edit of the source's settings, and leaves no version.
    Source.objects.filter(pk=source.pk).update(**{field: getattr(source, field) for field in fields})


def _failed(source, error):
    record_run(source, {"error": str(error)}, Source.Status.ERROR)


def preview(source, user=None):
    """Fetch, compute the difference without applying it, and keep the payload for `confirm`."""
    try:
        payload = load(source)
        report = run(source, payload, apply=False, user=user)
    except Exception as error:  # any failure is the source's, reported on it
        _failed(source, _describe(error))
        return source.last_report
    record_run(source, report | {"dry_run": True}, Source.Status.PREVIEW, payload)
    return report


def confirm(source, user=None):
    """Apply exactly the payload the last preview showed."""
    if source.status != Source.Status.PREVIEW or not source.pending_payload:
        raise PayloadError(_("Aucune prévisualisation à confirmer : lancez d'abord une prévisualisation."))
    try:
        report = run(source, source.pending_payload, apply=True, user=user)
    except Exception as error:  # reported on the source: the admin shows it, never a 500
        _failed(source, _describe(error))
        return source.last_report
    record_run(source, report, Source.Status.APPLIED)
    return report


def sync(source):
    """What cron does: a trusted source already confirmed once is applied; any other is previewed."""
    if not (source.trusted and source.last_synced_at):
        return preview(source)
    try:
        report = run(source, load(source), apply=True)
    except Exception as error:  # one source's failure must not stop the others
        _failed(source, _describe(error))
        return source.last_report
    record_run(source, report, Source.Status.APPLIED)
    return report


def _describe(error):
    if isinstance(error, FetchError | PayloadError):
        return str(error)
    return _("Erreur inattendue : %(error)s") % {"error": f"{type(error).__name__}: {error}"[:300]}


def keep_local(imported):
    """Resolve conflicts in favour of the local edit: the source's value counts as seen."""
    imported.values = imported.values | {field: diff["source"] for field, diff in imported.conflicts.items()}
    imported.conflicts = {}
    imported.save(update_fields=["values", "conflicts"])


def take_source(imported, user=None):
    """Resolve conflicts in favour of the source: its values overwrite the local edit."""
    meeting = imported.meeting
    if meeting is None:
        return keep_local(imported)
    with transaction.atomic():
        for field, diff in imported.conflicts.items():
            _set(meeting, field, diff["source"])
        meeting.full_clean()
        _stamp(meeting, imported.source, user)
        meeting.save()
        keep_local(imported)


def conflict_rows(imported):
    """(field label, value here, value at the source) for each conflict, as the admin shows them."""
    return [(field_label(field), diff["local"], diff["source"]) for field, diff in imported.conflicts.items()]
