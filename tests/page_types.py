"""One URL of each public page type, with data that fills every part of it: shared by the
checks that go over every page (catalogues, Nu HTML checker)."""

from datetime import date, time

from django.urls import reverse

from directory.models import Meeting
from tests.factories import METZ, NANCY, make_group, make_meeting


def page_type_urls():
    """One URL (unprefixed) of each page type, with data that fills every part of it."""
    group = make_group("vie-libre", insee=NANCY, name="Vie Libre Nancy", email="nancy@example.org")
    weekly = make_meeting(group=group, name="Mardi")
    make_meeting(
        group=group,
        name="Jeudi",
        frequency=Meeting.Frequency.MONTHLY,
        positions="1,3",
        weekday=Meeting.Weekday.THURSDAY,
        start_time=time(18, 30),
        end_time=time(20, 0),
    )
    make_meeting(
        group=make_group("croix-bleue", insee=METZ, name="Croix-Bleue Metz"),
        name="Visio",
        modality=Meeting.Modality.ONLINE,
        video_url="https://visio.example.org/cb",
    )
    suspended = make_meeting(
        group=group, name="Août", status=Meeting.Status.SUSPENDED, suspended_until=date(2099, 9, 1)
    )
    closed = make_meeting(group=group, name="Fermée", status=Meeting.Status.CLOSED)
    assert suspended.pk
    return [
        "/",
        "/mouvements/",
        "/mouvements/vie-libre/",
        "/mouvements/croix-bleue/",
        f"/groupes/{group.pk}/",
        "/reunions/",
        "/reunions/?commune=Nancy&rayon=30",
        "/reunions/?jour=lundi&departement=08",
        "/reunions/?commune=Atlantis",
        "/reunions/?commune=88000",
        "/reunions/?q=xyzzy",
        f"/reunions/{weekly.pk}/",
        f"/reunions/{closed.pk}/",
        "/territoires/",
        "/territoires/54-meurthe-et-moselle/",
        "/territoires/08-ardennes/",
        "/communes/54395-nancy/",
        "/charte/",
        "/charte/engagements/",
        "/donnees/",
        "/orientation/",
        "/orientation/?pour=proche&addiction=alcool&commune=Nancy",
        "/reunions/imprimer/?commune=Nancy",
        "/territoires/54-meurthe-et-moselle/affiche/",
        "/communes/54395-nancy/affiche/",
        reverse("directory:report_meeting", args=[weekly.pk]),
        "/page-qui-n-existe-pas/",
    ]
