import hashlib
import logging
from itertools import groupby

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from .filters import MAX_RADIUS_KM, RADII, MeetingFilter
from .forms import ChangeRequestForm
from .http import client_ip, search_params
from .models import NEIGHBOURS, Commune, Department, Group, Meeting, Movement
from .recurrence import DAY_NAMES
from .services import notify_change_request

RATE_LIMIT_WINDOW = 60 * 60
try:  # errors of the shared cache when it is Redis (the database cache fails with the database itself)
    from redis import RedisError as SharedCacheError
except ImportError:
    SharedCacheError = OSError

logger = logging.getLogger(__name__)

NEARBY_KM = 30
PAGE_SIZE = 20
ONLINE_PREVIEW = 10
MAP_MAX_MARKERS = 1000
# Counted on annotated querysets: what the public sees of a group's meetings.
PUBLIC_MEETINGS_Q = Q(meetings__published=True) & ~Q(meetings__status=Meeting.Status.CLOSED)


def _public_meetings():
    return Meeting.objects.public()


def _counts_by_department():
    """Published movements, groups and meetings per département code, in three queries."""
    groups = (
        Group.objects.published()
        .values("commune__department")
        .annotate(n=Count("pk"), movements=Count("movement", distinct=True), demo=Count("pk", filter=Q(is_demo=True)))
    )
    meetings = _public_meetings().values("group__commune__department").annotate(n=Count("pk"))
    counts = {
        row["commune__department"]: {"groups": row["n"], "movements": row["movements"], "demo": row["demo"]}
        for row in groups
    }
    for row in meetings:
        counts.setdefault(row["group__commune__department"], {})["meetings"] = row["n"]
    return counts


def _departments_with_counts():
    counts = _counts_by_department()
    departments = list(Department.objects.all())
    for department in departments:
        found = counts.get(department.code, {})
        department.movement_count = found.get("movements", 0)
        department.group_count = found.get("groups", 0)
        department.meeting_count = found.get("meetings", 0)
        # Counts that include demonstration groups must say so: they are not real.
        department.demo_group_count = found.get("demo", 0)
    return departments


def home(request):
    context = {
        "movements": Movement.objects.published(),
        "departments": _departments_with_counts(),
        "today_name": DAY_NAMES[timezone.localdate().weekday()],
    }
    return render(request, "directory/home.html", context)


def movement_list(request):
    movements = (
        Movement.objects.published()
        .prefetch_related("addictions")
        .annotate(
            group_count=Count("groups", filter=Q(groups__published=True), distinct=True),
            demo_group_count=Count("groups", filter=Q(groups__published=True, groups__is_demo=True), distinct=True),
        )
    )
    return render(request, "directory/movement_list.html", {"movements": movements})


def movement_detail(request, slug):
    movement = get_object_or_404(Movement.objects.published().prefetch_related("addictions"), slug=slug)
    groups = (
        movement.groups.published()
        .select_related("commune__department")
        .annotate(meeting_count=Count("meetings", filter=PUBLIC_MEETINGS_Q, distinct=True))
        .order_by("commune__department__code", "commune__search_name", "name")
    )
    groups_by_department = [
        (department, list(items)) for department, items in groupby(groups, key=lambda g: g.commune.department)
    ]
    commitments = movement.commitments.select_related("item__section").order_by(
        "item__section__position", "item__position"
    )
    context = {
        "movement": movement,
        "groups_by_department": groups_by_department,
        "commitments": commitments,
        "charters_signed": movement.charters_signed.all(),
    }
    return render(request, "directory/movement_detail.html", context)


def group_detail(request, pk):
    group = get_object_or_404(Group.objects.published().select_related("movement", "commune__department"), pk=pk)
    meetings = _public_meetings().filter(group=group)
    return render(request, "directory/group_detail.html", {"group": group, "meetings": meetings})


def meeting_detail(request, pk):
    meeting = get_object_or_404(Meeting.objects.published().for_listing(), pk=pk)
    if meeting.status == Meeting.Status.CLOSED:
        # Gone, not missing: bookmarks and printed lists still point here; say so and offer others.
        commune = meeting.venue.commune if meeting.venue else meeting.group.commune
        context = {"meeting": meeting, "group": meeting.group, "commune": commune}
        return render(request, "directory/meeting_closed.html", context, status=410)
    context = {
        "meeting": meeting,
        "group": meeting.group,
        "movement": meeting.group.movement,
        "next_dates": meeting.next_dates(count=5),
    }
    return render(request, "directory/meeting_detail.html", context)


def department_list(request):
    context = {"departments": _departments_with_counts()}
    return render(request, "directory/department_list.html", context)


def department_detail(request, code, slug):
    department = get_object_or_404(Department.objects.select_related("region"), code=code)
    if slug != department.slug:
        return redirect(department, permanent=True)
    groups = (
        Group.objects.published()
        .filter(commune__department=department)
        .select_related("movement", "commune")
        .prefetch_related(Prefetch("meetings", queryset=_public_meetings(), to_attr="public_meetings"))
        .order_by("commune__search_name", "movement__name", "name")
    )
    groups_by_commune = [(commune, list(items)) for commune, items in groupby(groups, key=lambda g: g.commune)]
    movements = (
        Movement.objects.published()
        .filter(groups__in=Group.objects.published().filter(commune__department=department))
        .distinct()
    )
    context = {
        "department": department,
        "groups_by_commune": groups_by_commune,
        "movements": movements,
    }
    return render(request, "directory/department_detail.html", context)


def commune_detail(request, insee, slug):
    commune = get_object_or_404(Commune.objects.select_related("department"), insee=insee)
    if slug != commune.slug:
        return redirect(commune, permanent=True)
    here = _public_meetings().filter(venue__commune=commune).order_by("weekday", "start_time")
    groups = Group.objects.published().filter(commune=commune).select_related("movement")
    nearby = (
        _public_meetings().near(commune.latitude, commune.longitude, NEARBY_KM).exclude(venue__commune=commune)[:10]
    )
    context = {
        "commune": commune,
        "meetings": here,
        "groups": groups,
        "nearby": nearby,
        "nearby_km": NEARBY_KM,
    }
    return render(request, "directory/commune_detail.html", context)


def finder_queryset():
    return _public_meetings().with_coordinates()


def map_markers(queryset):
    """One marker per place, listing its meetings, for at most MAP_MAX_MARKERS meetings (one query)."""
    rows = queryset.filter(venue__isnull=False).values_list(
        "pk", "lat", "lon", "venue__name", "group__movement__name", "type"
    )[:MAP_MAX_MARKERS]
    places = {}
    types = dict(Meeting.Type.choices)
    for pk, lat, lon, venue, movement, kind in rows:
        place = places.setdefault((round(lat, 5), round(lon, 5)), {"lat": lat, "lon": lon, "name": venue, "items": []})
        place["items"].append({"url": f"/reunions/{pk}/", "label": f"{movement} – {types[kind]}"})
    return list(places.values())


def empty_suggestions(f):
    """Ways to widen a search that found nothing: radius, online meetings, neighbouring départements."""
    data = f.form.cleaned_data
    commune = data.get("commune")
    codes = set(data.get("departement") or [])
    if commune:
        codes.add(commune.department_id)
    neighbours = {code for searched in codes for code in NEIGHBOURS.get(searched, [])} - codes
    return {
        "wider_radius": min(MAX_RADIUS_KM, int(f.radius * 2)) if commune and f.radius < MAX_RADIUS_KM else None,
        "neighbours": list(Department.objects.filter(code__in=neighbours)) if neighbours else [],
    }


def describe_criteria(f):
    """The search in words ("Jour : mardi, jeudi"), for a printed list to say what it lists."""
    criteria = []
    for name, value in f.form.cleaned_data.items():
        if not value:
            continue
        field = f.form.fields[name]
        if name == "rayon":
            shown = [f"{value:g} km".replace(".", ",")]
        elif hasattr(value, "model"):  # a queryset of movements or addictions
            shown = [str(item) for item in value]
        elif getattr(field, "choices", None):
            labels = dict(field.choices)
            shown = [str(labels.get(item, item)) for item in (value if isinstance(value, list) else [value])]
        else:
            shown = [str(value)]
        criteria.append((field.label, ", ".join(shown)))
    return criteria


def radius_choices(f):
    """The preset radii, plus the one in the URL if it is another, so that resubmitting keeps it."""
    rayon = f.form.cleaned_data.get("rayon") if f.is_valid() else None
    extra = {float(rayon)} if rayon and float(rayon) not in RADII else set()
    return sorted({*RADII, *extra})


def meeting_list(request):
    f = MeetingFilter(search_params(request), queryset=finder_queryset())
    refinements = set(f.filters) - {"q", "commune", "rayon"}
    context = {
        "filter": f,
        "radii": radius_choices(f),
        "max_radius": MAX_RADIUS_KM,
        "refined": any(request.GET.get(name) for name in refinements),
    }
    if not f.is_valid():
        context["commune_choices"] = getattr(f.form, "commune_choices", [])
        ambiguous_only = list(f.errors) == ["commune"] and context["commune_choices"]
        return render(request, "directory/meeting_list.html", context, status=200 if ambiguous_only else 400)
    results = f.qs
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    context.update(
        {
            "page": page,
            "meetings": page.object_list,
            "commune": f.form.cleaned_data.get("commune"),
            "radius": f.radius,
            "criteria": describe_criteria(f),
            "markers": map_markers(results),
        }
    )
    if f.online_qs is not None:
        online = f.online_qs
        context["online_count"] = online.count()
        context["online_meetings"] = online[:ONLINE_PREVIEW]
    if page.paginator.count == 0:
        context["suggestions"] = empty_suggestions(f)
    return render(request, "directory/meeting_list.html", context)


def _rate_limited(request):
    """Count this report against the visitor's hourly allowance; True when it is exhausted.

    The cache key is a keyed hash of the address: the address itself is never stored.
    """
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip(request)}".encode()).hexdigest()[:32]
    key = f"change-request-rate:{digest}"
    try:
        cache.add(key, 0, RATE_LIMIT_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, RATE_LIMIT_WINDOW)
            count = 1
    except SharedCacheError:
        # Redis down after start-up: a report is worth more than the limit; accept it and say so in the logs.
        logger.exception("Limite des signalements indisponible (Redis injoignable) : signalement accepté.")
        return False
    return count > settings.CHANGE_REQUEST_RATE_LIMIT


def _report(request, target, movement, group=None, meeting=None):
    sent = request.GET.get("envoye") == "1"
    form = ChangeRequestForm(request.POST or None)
    status = 200
    # Only valid submissions count against the allowance, so that a visitor fixing a
    # typo is not throttled; honeypot hits are valid too and do count, to slow bots.
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request):
            form.add_error(
                None, "Trop de signalements envoyés depuis votre connexion. Merci de réessayer dans une heure."
            )
            status = 429
        else:
            # A filled honeypot gets the same answer as a real report, so that bots learn nothing.
            if not form.is_spam:
                change_request = form.save(commit=False)
                change_request.movement = movement
                change_request.group = group
                change_request.meeting = meeting
                change_request.target_label = str(target)[:300]
                change_request.save()
                notify_change_request(change_request)
            return redirect(request.path + "?envoye=1")
    context = {"form": form, "target": target, "movement": movement, "sent": sent}
    return render(request, "directory/report_form.html", context, status=status)


def report_movement(request, slug):
    movement = get_object_or_404(Movement.objects.published(), slug=slug)
    return _report(request, movement, movement)


def report_group(request, pk):
    group = get_object_or_404(Group.objects.published().select_related("movement"), pk=pk)
    return _report(request, group, group.movement, group=group)


def report_meeting(request, pk):
    meeting = get_object_or_404(Meeting.objects.published().for_listing(), pk=pk)
    return _report(request, meeting, meeting.group.movement, group=meeting.group, meeting=meeting)
