"""'Signaler une erreur': the public form, its e-mail, its admin, and its defences against spam."""

import pytest
from django.core.cache import cache

from directory.models import ChangeRequest, ReportAllowance

pytestmark = pytest.mark.django_db

MESSAGE = "La réunion a lieu désormais le jeudi soir."


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_every_detail_page_links_to_its_report_form(client, world):
    for page in [f"/reunions/{world.vl_meeting.pk}/", f"/groupes/{world.vl_group.pk}/", "/mouvements/vie-libre/"]:
        html = client.get(page).content.decode()
        assert f'href="{page}signaler/"' in html
        response = client.get(page + "signaler/")
        assert response.status_code == 200
        assert (
            "Signaler une erreur" in response.content.decode() and "csrfmiddlewaretoken" in response.content.decode()
        )


def test_a_report_is_stored_and_mailed_to_the_movements_coordinators_only(client, world, mailoutbox):
    response = client.post(
        f"/reunions/{world.vl_meeting.pk}/signaler/", {"message": MESSAGE, "contact": "marie@example.org"}
    )
    assert response.status_code == 302 and response["Location"].endswith("?envoye=1")
    assert "Merci" in client.get(response["Location"]).content.decode()
    request = ChangeRequest.objects.get()
    assert request.movement == world.vl and request.group == world.vl_group and request.meeting == world.vl_meeting
    assert request.state == ChangeRequest.State.NEW and request.contact == "marie@example.org"
    assert [m.to for m in mailoutbox] == [["coord_vl@example.org"]]  # not the observer, not Croix-Bleue
    body = mailoutbox[0].body
    assert MESSAGE in body and "marie@example.org" in body
    assert f"/admin/directory/changerequest/{request.pk}/change/" in body


def test_an_unreachable_mail_server_still_thanks_the_visitor_and_keeps_the_report(client, world, settings, caplog):
    settings.MAILERS = {"default": {"BACKEND": "tests.helpers.UnreachableMailBackend"}}
    response = client.post(f"/reunions/{world.vl_meeting.pk}/signaler/", {"message": MESSAGE})
    assert response.status_code == 302 and response["Location"].endswith("?envoye=1")
    assert "Merci" in client.get(response["Location"]).content.decode()
    assert ChangeRequest.objects.get().meeting == world.vl_meeting
    assert any(record.name == "directory.services" and record.exc_info for record in caplog.records)


def test_reports_on_a_group_and_a_fiche_target_them(client, world, mailoutbox):
    client.post(f"/groupes/{world.cb_group.pk}/signaler/", {"message": MESSAGE})
    client.post("/mouvements/vie-libre/signaler/", {"message": MESSAGE})
    on_group, on_fiche = ChangeRequest.objects.order_by("pk")
    assert on_group.movement == world.cb and on_group.group == world.cb_group and on_group.meeting is None
    assert on_fiche.movement == world.vl and on_fiche.group is None
    assert [m.to for m in mailoutbox] == [["coord_cb@example.org"], ["coord_vl@example.org"]]


def test_report_form_labels_have_no_suffix_of_their_own(client, world):
    html = client.get(f"/reunions/{world.vl_meeting.pk}/signaler/").content.decode()
    assert "Votre courriel ou téléphone (facultatif)</label>" in html
    assert "Qu&#x27;est-ce qui est inexact ou manquant ?</label>" in html


def test_drafts_have_no_report_form(client, world):
    world.vl_meeting.published = False
    world.vl_meeting.save()
    assert client.get(f"/reunions/{world.vl_meeting.pk}/signaler/").status_code == 404
    assert client.post(f"/reunions/{world.vl_meeting.pk}/signaler/", {"message": MESSAGE}).status_code == 404
    assert not ChangeRequest.objects.exists()


def test_honeypot_reports_are_dropped_silently(client, world, mailoutbox):
    response = client.post(
        f"/reunions/{world.vl_meeting.pk}/signaler/", {"message": MESSAGE, "website": "http://spam.example"}
    )
    assert response.status_code == 302
    assert not ChangeRequest.objects.exists() and mailoutbox == []


def test_too_long_or_empty_messages_are_refused_next_to_the_field(client, world):
    url = f"/reunions/{world.vl_meeting.pk}/signaler/"
    response = client.post(url, {"message": "x" * 2001})
    assert response.status_code == 200 and "message" in response.context["form"].errors
    assert "2000" in response.content.decode()
    response = client.post(url, {"message": MESSAGE, "contact": "c" * 201})
    assert "contact" in response.context["form"].errors
    assert "message" in client.post(url, {"message": "  "}).context["form"].errors
    assert not ChangeRequest.objects.exists()


def test_reports_are_rate_limited_per_address(client, world, settings):
    settings.CHANGE_REQUEST_RATE_LIMIT = 2
    url = f"/reunions/{world.vl_meeting.pk}/signaler/"
    assert client.post(url, {"message": MESSAGE}, REMOTE_ADDR="203.0.113.7").status_code == 302
    assert client.post(url, {"message": MESSAGE}, REMOTE_ADDR="203.0.113.7").status_code == 302
    response = client.post(url, {"message": MESSAGE}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429 and "Trop de signalements" in response.content.decode()
    assert client.post(url, {"message": MESSAGE}, REMOTE_ADDR="198.51.100.1").status_code == 302
    assert ChangeRequest.objects.count() == 3
    # The address is never stored in clear, only a keyed hash.
    keys = list(ReportAllowance.objects.values_list("key", flat=True))
    assert len(keys) == 2 and not any("203.0.113.7" in key or "198.51.100.1" in key for key in keys)


def test_invalid_submissions_do_not_use_up_the_allowance_but_honeypot_hits_do(client, world, settings):
    settings.CHANGE_REQUEST_RATE_LIMIT = 2
    url = f"/reunions/{world.vl_meeting.pk}/signaler/"
    for _typo in range(3):
        assert client.post(url, {"message": "trop"}, REMOTE_ADDR="203.0.113.7").status_code == 200
    assert client.post(url, {"message": MESSAGE}, REMOTE_ADDR="203.0.113.7").status_code == 302
    assert client.post(url, {"message": MESSAGE, "website": "x"}, REMOTE_ADDR="203.0.113.7").status_code == 302
    assert client.post(url, {"message": MESSAGE}, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert ChangeRequest.objects.count() == 1


def test_html_in_a_report_is_escaped_in_the_admin_and_never_linked(client, as_user, world):
    evil = '<script>alert("x")</script> voir https://spam.example'
    client.post(f"/reunions/{world.vl_meeting.pk}/signaler/", {"message": evil, "contact": "<b>moi</b>"})
    request = ChangeRequest.objects.get()
    html = as_user(world.vl_coord).get(f"/admin/directory/changerequest/{request.pk}/change/").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert 'href="https://spam.example' not in html
    assert "&lt;b&gt;moi&lt;/b&gt;" in html


def test_reports_are_scoped_in_the_admin_and_contact_hidden_from_observers(client, as_user, world):
    client.post(f"/groupes/{world.vl_group.pk}/signaler/", {"message": MESSAGE, "contact": "06 00 00 00 00"})
    request = ChangeRequest.objects.get()
    url = f"/admin/directory/changerequest/{request.pk}/change/"
    assert as_user(world.cb_coord).get(url).status_code == 302  # does not exist for them
    assert list(as_user(world.cb_coord).get("/admin/directory/changerequest/").context["cl"].result_list) == []
    observer_page = as_user(world.observer).get(url)
    assert observer_page.status_code == 200 and "06 00 00 00 00" not in observer_page.content.decode()
    assert "06 00 00 00 00" in as_user(world.vl_coord).get(url).content.decode()
    assert "06 00 00 00 00" in as_user(world.admin).get(url).content.decode()


def test_coordinator_marks_a_report_handled(client, as_user, world):
    client.post(f"/groupes/{world.vl_group.pk}/signaler/", {"message": MESSAGE})
    request = ChangeRequest.objects.get()
    response = as_user(world.vl_coord).post(
        f"/admin/directory/changerequest/{request.pk}/change/", {"state": "traitee", "note": "Corrigé."}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == "traitee" and request.handled_by == world.vl_coord and request.handled_at
    assert request.message == MESSAGE  # read-only for them
    response = as_user(world.observer).post(
        f"/admin/directory/changerequest/{request.pk}/change/", {"state": "rejetee", "note": ""}
    )
    assert response.status_code == 403


def test_bidirectional_controls_are_removed_from_reports(client):
    from directory.models import ChangeRequest
    from tests.factories import make_meeting

    meeting = make_meeting()
    client.post(
        meeting.get_absolute_url() + "signaler/", {"message": "Horaire \u202efaux\u202c depuis mars", "contact": ""}
    )
    assert ChangeRequest.objects.get().message == "Horaire faux depuis mars"
