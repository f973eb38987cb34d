"""Reports become changes: a link to the edit, states, a reply to the reporter."""

import pytest

from directory.models import ChangeRequest
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db


def report_on(meeting, contact="marie@example.org"):
    return ChangeRequest.objects.create(
        movement=meeting.group.movement,
        group=meeting.group,
        meeting=meeting,
        target_label=str(meeting),
        message="La réunion a lieu le jeudi.",
        contact=contact,
    )


def url(report):
    return f"/admin/directory/changerequest/{report.pk}/change/"


def test_a_report_links_to_the_edit_of_its_meeting(as_user, world):
    report = report_on(world.vl_meeting)
    page = as_user(world.vl_coord).get(url(report)).content.decode()
    assert f'href="/admin/directory/meeting/{world.vl_meeting.pk}/change/"' in page
    assert "Modifier la réunion" in page
    listing = as_user(world.vl_coord).get("/admin/directory/changerequest/").content.decode()
    assert f"/admin/directory/meeting/{world.vl_meeting.pk}/change/" in listing


def test_an_observer_gets_no_edit_link(as_user, world):
    report = report_on(world.vl_meeting)
    page = as_user(world.observer).get(url(report)).content.decode()
    assert "Modifier la réunion" not in page.split('id="changerequest_form"')[0]
    assert 'name="reply"' not in page


def test_the_states_read_nouveau_en_cours_traite_rejete(as_user, world):
    assert [label for _value, label in ChangeRequest.State.choices] == ["Nouveau", "En cours", "Traité", "Rejeté"]
    report = report_on(world.vl_meeting)
    client = as_user(world.vl_coord)
    assert client.post(url(report), {"state": "en-cours", "note": ""}).status_code == 302
    report.refresh_from_db()
    assert report.state == "en-cours" and report.handled_by == world.vl_coord


def test_a_report_is_edited_then_marked_handled(as_user, world):
    report = report_on(world.vl_meeting)
    client = as_user(world.vl_coord)
    page = client.get(url(report))
    edit = page.context["report_edit_url"]
    response = client.post(edit, admin_form_data(client.get(edit), weekday="3"))
    assert response.status_code == 302
    assert client.post(url(report), {"state": "traitee", "note": "Passée au jeudi."}).status_code == 302
    report.refresh_from_db()
    world.vl_meeting.refresh_from_db()
    assert (report.state, world.vl_meeting.weekday) == ("traitee", 3)


def test_a_reply_is_mailed_to_the_reporter_and_kept_in_the_note(as_user, world, mailoutbox):
    report = report_on(world.vl_meeting)
    client = as_user(world.vl_coord)
    assert 'name="reply"' in client.get(url(report)).content.decode()
    response = client.post(url(report), {"state": "traitee", "note": "", "reply": "Merci, c'est corrigé."})
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["marie@example.org"]]
    assert mailoutbox[0].body == "Merci, c'est corrigé."
    report.refresh_from_db()
    assert "Réponse envoyée le" in report.note and "Merci, c'est corrigé." in report.note


def test_no_reply_box_without_an_address(as_user, world):
    report = report_on(world.vl_meeting, contact="06 12 34 56 78")
    assert 'name="reply"' not in as_user(world.vl_coord).get(url(report)).content.decode()


def test_a_reply_that_cannot_be_sent_is_said_and_not_recorded(as_user, world, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.helpers.UnreachableMailBackend"}}
    report = report_on(world.vl_meeting)
    response = as_user(world.vl_coord).post(
        url(report), {"state": "en-cours", "note": "", "reply": "Merci."}, follow=True
    )
    assert "n&#x27;a pas pu être envoyée" in response.content.decode()
    report.refresh_from_db()
    assert report.note == "" and report.state == "en-cours"


def test_a_shared_venue_says_why_it_is_read_only_and_takes_a_correction(as_user, world, mailoutbox):
    venue = world.cb_meeting.venue  # used by Croix-Bleue: read-only for Vie Libre's coordinator
    client = as_user(world.vl_coord)
    page = client.get(f"/admin/directory/venue/{venue.pk}/change/").content.decode()
    assert "seuls les administrateurs régionaux peuvent le modifier" in page and "Proposer une correction" in page
    response = client.post(
        f"/admin/directory/venue/{venue.pk}/proposer-une-correction/", {"proposal": "Entrée par la cour."}
    )
    assert response["Location"] == f"/admin/directory/venue/{venue.pk}/change/"
    assert [m.to for m in mailoutbox] == [["admin_region@example.org"]]
    assert "Entrée par la cour." in mailoutbox[0].body and mailoutbox[0].reply_to == ["coord_vl@example.org"]
    # Her own venue: no notice, she edits it.
    own = world.vl_meeting.venue
    assert "Proposer une correction" not in client.get(f"/admin/directory/venue/{own.pk}/change/").content.decode()


def test_only_coordinators_propose_venue_corrections(as_user, world, mailoutbox):
    venue = world.cb_meeting.venue
    url = f"/admin/directory/venue/{venue.pk}/proposer-une-correction/"
    assert as_user(world.observer).post(url, {"proposal": "x"}).status_code == 403
    assert as_user(world.vl_coord).get(url).status_code == 405
    assert mailoutbox == []
