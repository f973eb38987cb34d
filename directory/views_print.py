"""Pages for paper: the whole answer of a search (/reunions/imprimer/) and the waiting-room poster.

Both take the finder's query string and validate it with the finder's own
`Search`: a bad value is a 400 that names the field, as for the exports.
"""

from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from . import paper, poster_pdf
from .finder import Search
from .models import Commune, Department
from .views import finder_queryset
from .views_data import bad_request

TERRITORIAL = ("commune", "rayon", "departement", "lat", "lon", "page")


@require_safe
def meeting_print(request):
    search = Search(request.GET, queryset=finder_queryset())
    if not search.is_valid():
        return bad_request(search.filter)
    meetings = list(search.results)
    source_url = paper.absolute_url(reverse("directory:meeting_list"), request.GET)
    context = {
        "search": search,
        "commune": search.commune,
        "meetings": meetings,
        "online": search.online,
        "count": len(meetings) + len(search.online),
        "source_url": source_url,
        "qr": paper.qr_svg(source_url, source_url),
        "printed_on": timezone.localdate(),
        "helplines": paper.HELPLINES,
    }
    return render(request, "directory/print_meetings.html", context)


def _poster_data(request, **territory):
    """The finder's parameters with the poster's territory in place of any other."""
    data = QueryDict(mutable=True)
    data.update(territory)
    if "commune" in territory and "rayon" in request.GET:
        data.setlist("rayon", request.GET.getlist("rayon"))
    for name, values in request.GET.lists():
        if name not in TERRITORIAL:
            data.setlist(name, values)
    return data


def _poster_response(request, poster, title, fmt, pdf_url):
    if not poster.is_valid():
        return bad_request(poster.search.filter)
    updated_on = timezone.localdate()
    if fmt == "pdf":
        pdf = poster_pdf.render(poster, title, updated_on)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="affiche.pdf"'
        return response
    context = {
        "poster": poster,
        "title": title,
        "territory": poster.territory,
        "blocks": poster.blocks,
        "qr": paper.qr_svg(poster.live_url, poster.live_url),
        "updated_on": updated_on,
        "helplines": paper.HELPLINES,
        "criteria": poster.criteria,
        "pdf_url": pdf_url + (f"?{request.GET.urlencode()}" if request.GET else ""),
    }
    return render(request, "directory/poster.html", context)


@require_safe
def department_poster(request, code, slug, fmt="html"):
    department = get_object_or_404(Department, code=code)
    if slug != department.slug:
        target = reverse(f"directory:department_poster_{fmt}", args=[code, department.slug])
        return redirect(target + (f"?{request.GET.urlencode()}" if request.GET else ""), permanent=True)
    poster = paper.Poster(department, _poster_data(request, departement=code), finder_queryset())
    pdf_url = reverse("directory:department_poster_pdf", args=[code, slug])
    return _poster_response(request, poster, f"{department.name} ({department.code})", fmt, pdf_url)


@require_safe
def commune_poster(request, insee, slug, fmt="html"):
    commune = get_object_or_404(Commune.objects.select_related("department"), insee=insee)
    if slug != commune.slug:
        target = reverse(f"directory:commune_poster_{fmt}", args=[insee, commune.slug])
        return redirect(target + (f"?{request.GET.urlencode()}" if request.GET else ""), permanent=True)
    poster = paper.Poster(commune, _poster_data(request, commune=insee), finder_queryset())
    title = f"{commune.name} ({commune.postal_code})"
    pdf_url = reverse("directory:commune_poster_pdf", args=[insee, slug])
    return _poster_response(request, poster, title, fmt, pdf_url)
