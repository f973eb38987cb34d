"""Drafts (published=False on a movement, group or meeting) never appear publicly:
neither on pages nor in the finder, the CSV, the calendars, the feeds or the sitemap."""

import pytest

from directory.models import Movement
from tests.factories import EPINAL, make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/mouvements/",
    "/territoires/",
    "/territoires/88-vosges/",
    "/communes/88160-epinal/",
    "/reunions/",
    "/reunions/?commune=epinal",
    "/reunions/export.csv",
    "/reunions/agenda.ics",
    "/donnees/meeting-guide.json",
    "/donnees/hsds/services",
    "/donnees/hsds/locations",
    "/donnees/data-inclusion/services.json",
    "/donnees/data-inclusion/structures.json",
    "/sitemap.xml",
    "/sitemap-communes.xml",
    "/sitemap-reunions.xml",
]


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8-sig")


def public_html(client, extra=()):
    return "".join(body(client.get(page)) for page in [*PAGES, *extra])


def test_draft_meeting_never_appears(client):
    group = make_group("vie-libre", insee=EPINAL, name="Vie Libre Épinal")
    shown = make_meeting(group=group, venue=make_venue(insee=EPINAL, name="Salle publiée"))
    draft = make_meeting(group=group, venue=make_venue(insee=EPINAL, name="Salle brouillon"), published=False)
    html = public_html(client, [f"/groupes/{group.pk}/", "/mouvements/vie-libre/"])
    assert f'href="/reunions/{shown.pk}/"' in html and "Salle publiée" in html
    assert f"/reunions/{shown.pk}/" in body(client.get("/reunions/export.csv"))
    assert f"/reunions/{draft.pk}/" not in html and "Salle brouillon" not in html
    assert client.get(f"/reunions/{draft.pk}/").status_code == 404


def test_meetings_of_a_draft_group_never_appear(client):
    group = make_group("vie-libre", insee=EPINAL, name="Groupe brouillon", published=False)
    meeting = make_meeting(group=group, venue=make_venue(insee=EPINAL, name="Salle du brouillon"))
    html = public_html(client, ["/mouvements/vie-libre/"])
    assert "Groupe brouillon" not in html and "Salle du brouillon" not in html
    assert f"/reunions/{meeting.pk}/" not in html
    assert client.get(f"/groupes/{group.pk}/").status_code == 404
    assert client.get(f"/reunions/{meeting.pk}/").status_code == 404


def test_nothing_of_a_draft_movement_appears(client):
    group = make_group("narcotiques-anonymes", insee=EPINAL, name="NA Épinal")
    meeting = make_meeting(group=group, venue=make_venue(insee=EPINAL, name="Salle NA"))
    assert "Salle NA" in public_html(client)
    Movement.objects.filter(slug="narcotiques-anonymes").update(published=False)
    html = public_html(client)
    # (The helplines footer names every movement: look for links to its pages instead.)
    assert "/mouvements/narcotiques-anonymes/" not in html and "NA Épinal" not in html and "Salle NA" not in html
    assert f"/reunions/{meeting.pk}/" not in html
    for url in ["/mouvements/narcotiques-anonymes/", f"/groupes/{group.pk}/", f"/reunions/{meeting.pk}/"]:
        assert client.get(url).status_code == 404
        assert client.get(url + "signaler/").status_code == 404
