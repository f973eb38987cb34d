"""Open data views: finder exports (CSV, iCalendar), feeds and the /donnees/ page.

Every export is cacheable (ETag and Last-Modified from the data's state, 304
on a conditional GET) and streamed, so that memory stays flat as data grows.
"""

import hashlib
from itertools import chain

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition, require_safe

from .exports import (
    CHUNK_SIZE,
    csv,
    data_inclusion,
    data_state,
    exported_groups,
    exported_meetings,
    fold_stream,
    ics,
    json_array,
    meeting_guide,
)
from .filters import MeetingFilter

MAX_AGE = 15 * 60


def _state(request):
    # condition() asks for the ETag and Last-Modified separately: compute once per request.
    if not hasattr(request, "_export_state"):
        request._export_state = data_state()
    return request._export_state


def _etag(request, *args, **kwargs):
    fingerprint = _state(request)[1]
    key = f"{fingerprint}|{request.path}|{request.META.get('QUERY_STRING', '')}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _last_modified(request, *args, **kwargs):
    return _state(request)[0]


def cacheable(view):
    """Conditional GET (304) and a short public cache, for GET and HEAD only."""
    view = condition(etag_func=_etag, last_modified_func=_last_modified)(view)

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
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


def _streaming(chunks, content_type, filename=None, cors=False):
    response = StreamingHttpResponse(fold_stream(chunks), content_type=content_type)
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
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
        lines.append("Communes possibles (indiquez le code INSEE) :")
        lines += [f"- {commune.insee} {commune.name} ({commune.department_id})" for commune in choices]
    return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")


def search(request):
    """The finder's results for the query string, territorial rows first then online ones.

    Returns (rows, None) or (None, a 400 response). Online meetings have no
    place, so a territorial search (commune, département) lists them after the
    places, as the HTML finder does in a separate section.
    """
    f = MeetingFilter(request.GET, queryset=exported_meetings())
    if not f.is_valid():
        return None, bad_request(f)
    querysets = [f.qs]
    if f.online_qs is not None:
        querysets.append(f.online_qs)
    return chain.from_iterable(qs.iterator(chunk_size=CHUNK_SIZE) for qs in querysets), None


@cacheable
def meeting_ics(request, pk):
    meeting = get_object_or_404(exported_meetings(), pk=pk)
    return _streaming(ics.stream([meeting], meeting.title), "text/calendar; charset=utf-8", f"reunion-{pk}.ics")


@cacheable
def agenda_ics(request):
    rows, error = search(request)
    if error:
        return error
    name = "Entraide Grand Est – réunions"
    return _streaming(ics.stream(rows, name), "text/calendar; charset=utf-8", "agenda.ics")


@cacheable
def export_csv(request):
    rows, error = search(request)
    if error:
        return error
    return _streaming(csv.stream(rows), "text/csv; charset=utf-8", "reunions.csv")


@cacheable
def meeting_guide_feed(request):
    # Only `mouvement` makes sense here; other parameters are ignored.
    f = MeetingFilter({"mouvement": request.GET.getlist("mouvement")}, queryset=exported_meetings())
    if not f.is_valid():
        return bad_request(f)
    meetings = meeting_guide.feed_meetings(f.qs).iterator(chunk_size=CHUNK_SIZE)
    items = (meeting_guide.item(meeting) for meeting in meetings)
    return _streaming(json_array(items), "application/json", cors=True)


@cacheable
def data_inclusion_structures(request):
    groups = exported_groups().select_related("movement", "commune").order_by("pk").iterator(chunk_size=CHUNK_SIZE)
    return _streaming(json_array(data_inclusion.structure(group) for group in groups), "application/json", cors=True)


@cacheable
def data_inclusion_services(request):
    meetings = exported_meetings().order_by("pk").iterator(chunk_size=CHUNK_SIZE)
    return _streaming(json_array(data_inclusion.service(m) for m in meetings), "application/json", cors=True)


def open_data(request):
    return render(request, "directory/open_data.html", {})
