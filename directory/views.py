import hashlib
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .finder import Search
from .forms import ChangeRequestForm
from .http import client_ip, search_params
from .models import Commune, Department, Group, Meeting, Movement, ReportAllowance
from .orientation import NEXT_MEETINGS as MEETINGS_PER_MOVEMENT
from .orientation import OrientationForm
from .services import notify_change_request
from .territory import DepartmentListing

RATE_LIMIT_WINDOW = timedelta(hours=1)
NEARBY_KM = 30
# Territory pages show a bounded summary and link to the finder for the rest, whatever the data's size.
NEXT_MEETINGS = 10
GROUPS_SHOWN = 30


def _public_meetings():
    """Public meetings in the order of their next occurrence, brought up to date for rows that have ended."""
    Meeting.objects.refresh_next_occurrences(stale_only=True)
    return Meeting.objects.public().in_time_order()


def _departments_with_counts():
    """Every département with its published groups, their movements and its public meetings, in three queries."""
    return Department.objects.counted(Group.objects.published(), _public_meetings())


def home(request):
    context = {
        "movements": Movement.objects.published(),
        "departments": _departments_with_counts(),
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
    # A summary by département linking to the finder: a movement may have thousands of groups.
    # Grouped aggregates, one pass over each table: correlated counts per département cost 150 ms at 10,000 meetings.
    departments = Department.objects.counted(
        movement.groups.published(), _public_meetings().filter(group__movement=movement), held_only=True
    )
    commitments = movement.commitments.select_related("item__section").order_by(
        "item__section__position", "item__position"
    )
    context = {
        "movement": movement,
        "departments": departments,
        "commitments": commitments,
        "charters_signed": movement.charters_signed.all(),
    }
    return render(request, "directory/movement_detail.html", context)


def group_detail(request, pk):
    group = get_object_or_404(Group.objects.published().select_related("movement", "commune__department"), pk=pk)
    meetings = _public_meetings().filter(group=group)
    context = {"group": group, "meetings": meetings}
    stopped, context["stopped_on"] = Meeting.objects.filter(group=group, published=True).cessation()
    if stopped:
        # A group that stopped: its page stays, pointing to what is held nearby instead.
        commune = group.commune
        context["alternatives"] = _public_meetings().near(commune.latitude, commune.longitude, NEARBY_KM)[:5]
        context["nearby_km"] = NEARBY_KM
    context["stopped"] = stopped
    return render(request, "directory/group_detail.html", context)


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
    # The finder's search in the département, with the filters professionals narrow it by.
    listing = DepartmentListing(department, request.GET, finder_queryset())
    context = {"department": department, "listing": listing, "search": listing.search, "form": listing.form}
    status = 200 if listing.is_valid() else 400
    return render(request, "directory/department_detail.html", context, status=status)


def commune_detail(request, insee, slug):
    commune = get_object_or_404(Commune.objects.select_related("department"), insee=insee)
    if slug != commune.slug:
        return redirect(commune, permanent=True)
    here = _public_meetings().filter(venue__commune=commune)
    groups = Group.objects.published().filter(commune=commune).select_related("movement").order_by("name")
    shown_groups = list(groups[:GROUPS_SHOWN])
    nearby = (
        _public_meetings()
        .near(commune.latitude, commune.longitude, NEARBY_KM)
        .exclude(venue__commune=commune)
        .in_time_order()
        .rows_of(0, 10)
    )
    context = {
        "commune": commune,
        "meeting_count": here.count(),
        "meetings": here.in_time_order()[:NEXT_MEETINGS],
        "groups": shown_groups,
        "other_groups": groups.count() - len(shown_groups) if len(shown_groups) == GROUPS_SHOWN else 0,
        "nearby": nearby,
        "nearby_km": NEARBY_KM,
    }
    return render(request, "directory/commune_detail.html", context)


def finder_queryset():
    # The Search refreshes stale rows itself, once.
    return Meeting.objects.public().with_coordinates()


def meeting_list(request):
    search = Search(search_params(request), queryset=finder_queryset())
    context = {"search": search, "form": search.form}
    if not search.is_valid():
        return render(request, "directory/meeting_list.html", context, status=search.error_status)
    rounded = search.imprecise_position_query
    if rounded is not None:
        return redirect(f"{request.path}?{rounded}")
    page = search.page(request.GET.get("page"))
    context.update({"page": page, "meetings": page.object_list, "commune": search.commune})
    return render(request, "directory/meeting_list.html", context)


def orientation(request):
    """Three questions, answered on the same page by GET: works without JavaScript, stores nothing."""
    form = OrientationForm(request.GET or None)
    context = {"form": form, "answers": None}
    if not request.GET:
        return render(request, "directory/orientation.html", context)
    if not form.is_valid():
        status = 200 if list(form.errors) == ["commune"] and form.commune_choices else 400
        return render(request, "directory/orientation.html", context, status=status)
    answers = []
    for movement in form.movements():
        query = form.finder_query(movement)
        search = Search(query, queryset=finder_queryset(), refresh=not answers)
        meetings = list(search.results[:MEETINGS_PER_MOVEMENT]) if search.is_valid() else []
        answers.append({"movement": movement, "meetings": meetings, "query": search.variant().urlencode()})
    context.update({"answers": answers, "commune": form.cleaned_data.get("commune")})
    return render(request, "directory/orientation.html", context)


def _rate_limited(request):
    """Count this report against the visitor's hourly allowance; True when it is exhausted.

    Counted in the database, which every worker and replica shares and which increments
    atomically; the key is a keyed hash of the address: the address itself is never stored.
    """
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{client_ip(request)}".encode()).hexdigest()[:32]
    return ReportAllowance.objects.spend(digest, RATE_LIMIT_WINDOW) > settings.CHANGE_REQUEST_RATE_LIMIT


def _report(request, target, movement, group=None, meeting=None):
    sent = request.GET.get("envoye") == "1"
    form = ChangeRequestForm(request.POST or None)
    status = 200
    # Only valid submissions count against the allowance, so that a visitor fixing a
    # typo is not throttled; honeypot hits are valid too and do count, to slow bots.
    if request.method == "POST" and form.is_valid():
        if _rate_limited(request):
            form.add_error(
                None, _("Trop de signalements envoyés depuis votre connexion. Merci de réessayer dans une heure.")
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
