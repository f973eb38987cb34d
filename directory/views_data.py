"""Open data views: finder exports (CSV, iCalendar), feeds and the /donnees/ page.

Every export is cacheable (ETag and Last-Modified from the data's state, 304
on a conditional GET) and streamed, so that memory stays flat as data grows.
"""

import csv as csv_module
import hashlib
import io
import tempfile
import zipfile
from contextlib import ExitStack
from datetime import datetime
from uuid import UUID

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from . import csv_format
from .exports import (
    CHUNK_SIZE,
    absolute,
    data_inclusion,
    data_state,
    fold_stream,
    hsds,
    ics,
    json_array,
    json_array_texts,
    meeting_guide,
    stable_uuid,
    stored,
)
from .filters import MeetingFilter
from .finder import Search
from .http import search_params
from .models import Group, Meeting, Movement, Venue

MAX_AGE = 15 * 60


def _state(request):
    # condition() asks for the ETag and Last-Modified separately: compute once per request.
    if not hasattr(request, "_export_state"):
        request._export_state = data_state()
    return request._export_state


def _etag(request, *args, **kwargs):
    fingerprint = _state(request)[1]
    # The day too: lists run in week order from today, so the same data reads differently tomorrow.
    key = f"{fingerprint}|{timezone.localdate()}|{request.path}|{request.META.get('QUERY_STRING', '')}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _last_modified(request, *args, **kwargs):
    # Not before today's midnight: lists run in week order from today (see _etag).
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), datetime.min.time()))
    changed = _state(request)[0]
    return max(changed, midnight) if changed else midnight


def cacheable(view):
    """Conditional GET (304) and a short public cache, for GET and HEAD only."""
    view = condition(etag_func=_etag, last_modified_func=_last_modified)(view)

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method == "HEAD" and response.streaming:
            # A WSGI server iterates the body even for HEAD (then drops it): give it nothing to build.
            response.streaming_content = []
        if response.status_code in (200, 304):
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        else:
            # An error is not a representation of the data: nothing to revalidate.
            del response["ETag"]
            del response["Last-Modified"]
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return require_safe(wrapped)


def _streaming(chunks, content_type, filename=None, cors=False, attachment=False):
    response = StreamingHttpResponse(fold_stream(chunks), content_type=content_type)
    if filename:
        # A CSV is saved, not shown: a browser must not hand it straight to a spreadsheet.
        disposition = "attachment" if attachment else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    if cors:
        # Meeting apps and other directories read feeds from the browser.
        response["Access-Control-Allow-Origin"] = "*"
    return response


def bad_request(f):
    """The form's errors in plain French text: a 400 that a person or a script can read."""
    lines = ["Requête invalide :"]
    for name, errors in f.errors.items():
        field = f.form.fields.get(name)
        label = f"{field.label} ({name})" if field else "Requête"
        lines += [f"- {label} : {error}" for error in errors]
    choices = getattr(f.form, "commune_choices", [])
    if choices:
        lines.append("Communes possibles (reprenez l’une de ces valeurs) :")
        lines += [f"- commune={commune.unambiguous_name} ({commune.department_id})" for commune in choices]
    return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")


def search(request):
    """The finder's results for the query string: territorial ones first, then online ones.

    Returns (querysets, None) or (None, a 400 response). Online meetings have no
    place, so a territorial search (commune, département) lists them after the
    places, as the HTML finder does in a separate section.
    """
    found = Search(search_params(request), queryset=Meeting.objects.exportable())
    if not found.is_valid():
        return None, bad_request(found.filter)
    return [found.results, found.filter.online_qs], None


def _vevents(querysets):
    # Stored VEVENTs (directory.exports.stored): the agenda is read, not serialised again.
    return (text for queryset in querysets for (text,) in stored.texts(queryset, ["ics"]) if text)


@cacheable
def meeting_ics(request, pk):
    # One meeting costs a millisecond to serialise: no stored text needed.
    meeting = get_object_or_404(Meeting.objects.exportable(), pk=pk)
    return _streaming(ics.stream([meeting], meeting.title), "text/calendar; charset=utf-8", f"reunion-{pk}.ics")


@cacheable
def agenda_ics(request):
    querysets, error = search(request)
    if error:
        return error
    name = "Entraide Grand Est – réunions"
    return _streaming(ics.stream_texts(_vevents(querysets), name), "text/calendar; charset=utf-8", "agenda.ics")


def _csv_lines(querysets):
    """The CSV export's lines from stored parts, with the distance of this search between them."""
    yield csv_format.header(csv_format.PUBLIC_COLUMNS)
    for queryset in querysets:
        distance = ["distance_km"] if "distance_km" in queryset.query.annotations else []
        for head, tail, *km in stored.texts(queryset, ["csv_head", "csv_tail"], distance):
            cell = csv_format.distance_text(km[0] if km else None)
            yield f"{head}{csv_format.DELIMITER}{cell}{csv_format.DELIMITER}{tail}{csv_format.LINE_TERMINATOR}"


@cacheable
def export_csv(request):
    querysets, error = search(request)
    if error:
        return error
    return _streaming(_csv_lines(querysets), "text/csv; charset=utf-8", "reunions.csv", attachment=True)


@cacheable
def meeting_guide_feed(request):
    # Only `mouvement` makes sense here; other parameters are ignored.
    wanted = {"mouvement": search_params(request).getlist("mouvement")}
    f = MeetingFilter(wanted, queryset=Meeting.objects.exportable())
    if not f.is_valid():
        return bad_request(f)
    # Stored items (directory.exports.stored), already JSON: joined, not serialised again.
    items = (text for (text,) in stored.texts(meeting_guide.feed_meetings(f.qs), ["meeting_guide"]))
    return _streaming(json_array_texts(items), "application/json", cors=True)


@cacheable
def data_inclusion_structures(request):
    groups = (
        Group.objects.exportable().select_related("movement", "commune").order_by("pk").iterator(chunk_size=CHUNK_SIZE)
    )
    return _streaming(json_array(data_inclusion.structure(group) for group in groups), "application/json", cors=True)


@cacheable
def data_inclusion_services(request):
    # Stored services (directory.exports.stored), already JSON.
    services = stored.texts(Meeting.objects.exportable().order_by("pk"), ["data_inclusion"])
    return _streaming(json_array_texts(text for (text,) in services), "application/json", cors=True)


HSDS_PER_PAGE = 50
HSDS_MAX_PER_PAGE = 500


def _hsds_sources():
    """What each HSDS endpoint lists: (queryset, UUID kind, record builder)."""
    meetings = Meeting.objects.exportable().order_by("pk")
    venues = (
        Venue.objects.filter(pk__in=Meeting.objects.exportable().filter(venue__isnull=False).values("venue"))
        .select_related("commune__department")
        .order_by("pk")
    )
    return {
        "organizations": (Movement.objects.published().order_by("pk"), "movement", hsds.organization),
        "services": (meetings, "meeting", hsds.service),
        "locations": (venues, "venue", hsds.location),
        "service_at_locations": (
            meetings.filter(venue__isnull=False),
            "service-at-location",
            hsds.service_at_location,
        ),
    }


def _positive_int(value, default, maximum=None):
    if value in (None, ""):
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(value)
    return min(int(value), maximum) if maximum else int(value)


@cacheable
def hsds_list(request, resource):
    """HSDA-style page: total_items, total_pages, page_number, size, first_page, last_page, empty, contents."""
    queryset, _, build = _hsds_sources()[resource]
    try:
        number = _positive_int(request.GET.get("page"), 1)
        per_page = _positive_int(request.GET.get("per_page"), HSDS_PER_PAGE, HSDS_MAX_PER_PAGE)
    except ValueError:
        return HttpResponse(
            "Requête invalide : « page » et « per_page » sont des entiers positifs.\n",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    paginator = Paginator(queryset, per_page)
    total_pages = max(paginator.num_pages, 1)
    contents = [build(row) for row in paginator.page(number).object_list] if number <= paginator.num_pages else []
    data = {
        "total_items": paginator.count,
        "total_pages": total_pages,
        "page_number": number,
        "size": len(contents),
        "first_page": number == 1,
        "last_page": number >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cacheable
def hsds_detail(request, resource, id):
    queryset, kind, build = _hsds_sources()[resource]
    try:
        wanted = str(UUID(id))
    except ValueError:
        raise Http404("Identifiant inconnu.") from None
    # UUID 5 cannot be reversed: compare with the key of every row (one light query).
    pk = next((pk for pk in queryset.values_list("pk", flat=True) if stable_uuid(kind, pk) == wanted), None)
    if pk is None:
        raise Http404("Identifiant inconnu.")
    response = JsonResponse(build(queryset.get(pk=pk)), json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


@cacheable
def hsds_zip(request):
    """HSDS tabular: one CSV per table in a zip, written to disk in one pass over the data."""
    if request.method == "HEAD":
        # The archive is built before the first byte is sent: not for a HEAD.
        response = HttpResponse(content_type="application/zip")
        response["Content-Disposition"] = 'attachment; filename="hsds.zip"'
        return response
    sources = _hsds_sources()

    def records(name):
        queryset, _, build = sources[name]
        return (build(row) for row in queryset.iterator(chunk_size=CHUNK_SIZE))

    # FileResponse closes the archive once sent; the table files close with the stack.
    archive = tempfile.TemporaryFile()  # noqa: SIM115
    stamp = (_last_modified(request) or datetime(1980, 1, 1)).timetuple()[:6]
    with ExitStack() as stack:
        files, writers = {}, {}
        for table, columns in hsds.TABLES.items():
            files[table] = stack.enter_context(tempfile.TemporaryFile(mode="w+", encoding="utf-8", newline=""))
            writers[table] = csv_module.DictWriter(files[table], columns, extrasaction="ignore")
            writers[table].writeheader()
        for table, row in hsds.table_rows(records("organizations"), records("services"), records("locations")):
            writers[table].writerow(row)
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
            for table, handle in files.items():
                handle.seek(0)
                info = zipfile.ZipInfo(table, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                with bundle.open(info, "w") as target, io.TextIOWrapper(target, encoding="utf-8", newline="") as text:
                    while chunk := handle.read(64 * 1024):
                        text.write(chunk)
    archive.seek(0)
    return FileResponse(archive, as_attachment=True, filename="hsds.zip", content_type="application/zip")


def open_data(request):
    return render(request, "directory/open_data.html", {})


@require_safe
def robots_txt(request):
    # The admin is not listed: a Disallow line would tell every robot where the login form is.
    lines = ["User-agent: *", "Allow: /", f"Sitemap: {absolute('/sitemap.xml')}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
