"""Plain French in the coordinators' admin: titles, header, languages by name, no demo flag, and no Django
or simple-history jargon on any page she reaches (histories, versions, trash, deletion, messages)."""

import re
from html import unescape

import pytest

from directory.models import Meeting
from tests.factories import make_meeting, make_venue
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db


def test_lists_are_titled_by_what_they_list(as_user, world):
    page = as_user(world.vl_coord).get("/admin/directory/meeting/").content.decode()
    assert "<h1>Réunions</h1>" in page and "<title>Réunions |" in page
    assert "objet" not in page.split("<body")[1].split('id="changelist"')[0]


def test_a_coordinator_works_in_the_espace_coordinateurs(as_user, world):
    assert "Espace coordinateurs" in as_user(world.vl_coord).get("/admin/directory/group/").content.decode()
    assert "Espace coordinateurs" not in as_user(world.admin).get("/admin/directory/group/").content.decode()


def test_languages_are_ticked_by_name_not_typed_as_iso_codes(as_user, world):
    client = as_user(world.vl_coord)
    page = client.get("/admin/directory/meeting/add/").content.decode()
    assert " allemand</label>" in page and "ISO 639-1" not in page
    venue = make_venue()
    data = {
        "group": world.vl_group.pk,
        "weekday": "2",
        "start_time": "18h",
        "end_time": "19h30",
        "frequency": "weekly",
        "interval": "1",
        "modality": "presentiel",
        "venue": venue.pk,
        "languages": ["fr", "de"],
        "type": "groupe-de-parole",
        "audience": "tous",
        "starts_on": "2026-01-07",
        "status": "active",
    }
    assert client.post("/admin/directory/meeting/add/", data).status_code == 302
    assert Meeting.objects.get(venue=venue).languages == "fr de"


# Django's and simple-history's words that a coordinator should never read, in visible text.
JARGON = ["Historical", "Directory", "Django", "objet", "object", "None", "Revert", "History", "ISO 639", "Exemple"]


def visible_text(html):
    html = re.sub(r"<script.*?</script>|<style.*?</style>|<!--.*?-->", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def coordinator_pages(world, client):
    """Every kind of admin page she reaches: home, lists, forms, histories, versions, trash, import, deletion."""
    meeting, group, venue = world.vl_meeting, world.vl_group, world.vl_meeting.venue
    url = f"/admin/directory/meeting/{meeting.pk}/change/"
    client.post(url, admin_form_data(client.get(url), name="Réunion du mardi"))
    gone = make_meeting(group=group, name="Réunion supprimée").pk
    Meeting.objects.filter(pk=gone).delete()
    world.vl.save()  # the reference fixtures have no version yet
    pages = ["/admin/", "/admin/directory/meeting/import/", "/admin/double-authentification/"]
    for name, obj in [("meeting", meeting), ("group", group), ("venue", venue), ("movement", world.vl)]:
        base = f"/admin/directory/{name}/"
        version = obj.revisions.earliest().history_id
        pages += [base, f"{base}{obj.pk}/change/", f"{base}{obj.pk}/history/", f"{base}{obj.pk}/history/{version}/"]
        pages += [f"{base}corbeille/"]
        if name != "movement":
            pages += [f"{base}add/"]
    pages += [f"/admin/directory/meeting/{meeting.pk}/delete/", f"/admin/directory/group/{group.pk}/delete/"]
    pages += [f"/admin/directory/meeting/{gone}/history/", "/admin/directory/changerequest/"]
    return pages


def test_no_admin_page_she_reaches_speaks_django_jargon(as_user, world):
    client = as_user(world.vl_coord)
    for path in coordinator_pages(world, client):
        response = client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        found = [match for word in JARGON for match in re.finditer(rf"\b{word}\b", text)]
        assert found == [], (path, [text[max(0, m.start() - 60) : m.end() + 60] for m in found])


def test_the_version_page_is_named_after_the_meeting_not_its_history_table(as_user, world):
    client = as_user(world.vl_coord)
    version = world.vl_meeting.revisions.earliest().history_id
    page = client.get(f"/admin/directory/meeting/{world.vl_meeting.pk}/history/{version}/").content.decode()
    crumbs = visible_text(page.split('class="breadcrumbs"')[1].split("</div>")[0])
    assert crumbs.startswith("> Accueil › Annuaire › Réunions › Réunion VL") and "Rétablir cette version" in crumbs


def test_messages_after_a_save_or_a_delete_name_the_thing_plainly(as_user, world):
    client = as_user(world.vl_coord)
    url = f"/admin/directory/meeting/{world.vl_meeting.pk}/change/"
    saved = client.post(url, admin_form_data(client.get(url), name="Réunion du mardi"), follow=True)
    said = [str(message) for message in saved.context["messages"]]
    assert said[0] == "Enregistré : « Réunion du mardi – chaque mardi »." and "objet" not in " ".join(said)
    deleted = client.post(f"/admin/directory/meeting/{world.vl_meeting.pk}/delete/", {"post": "yes"}, follow=True)
    assert [str(m) for m in deleted.context["messages"]] == ["Supprimé : « Réunion du mardi – chaque mardi »."]
