"""The permission matrix of the admin: who may reach what, by every path."""

import pytest
from django.contrib.auth import get_user_model

from charter.models import CharterItem, Commitment
from directory.models import Group, Meeting, Movement, Venue
from tests.factories import METZ, NANCY, make_meeting, make_venue
from tests.helpers import admin_form_data, venue_form

pytestmark = pytest.mark.django_db

URL = "/admin/{app}/{model}/"


def changelist(model, app="directory"):
    return URL.format(app=app, model=model)


def change(model, pk, app="directory"):
    return URL.format(app=app, model=model) + f"{pk}/change/"


# --- lists and change pages -------------------------------------------------


def test_anonymous_visitor_is_sent_to_the_login_page(client, world):
    response = client.get(changelist("meeting"))
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_coordinator_lists_only_their_movements_rows(as_user, world):
    client = as_user(world.vl_coord)
    for model, mine, theirs in [
        ("meeting", world.vl_meeting, world.cb_meeting),
        ("group", world.vl_group, world.cb_group),
        ("movement", world.vl, world.cb),
    ]:
        response = client.get(changelist(model))
        assert response.status_code == 200
        shown = list(response.context["cl"].result_list)
        assert mine in shown and theirs not in shown


def test_coordinator_cannot_open_another_movements_meeting(as_user, world):
    client = as_user(world.vl_coord)
    assert client.get(change("meeting", world.vl_meeting.pk)).status_code == 200
    response = client.get(change("meeting", world.cb_meeting.pk))
    # Django answers "does not exist" (redirect to the index) rather than revealing the row.
    assert response.status_code == 302 and response["Location"] == "/admin/"
    for model, obj in [("group", world.cb_group), ("movement", world.cb)]:
        assert client.get(change(model, obj.pk)).status_code == 302


def test_coordinator_cannot_post_a_change_to_another_movements_meeting(as_user, world):
    client = as_user(world.cb_coord)
    data = admin_form_data(client.get(change("meeting", world.cb_meeting.pk)), name="Piratée")
    as_user(world.vl_coord).post(change("meeting", world.cb_meeting.pk), data)
    world.cb_meeting.refresh_from_db()
    assert world.cb_meeting.name == "Réunion CB"


def test_coordinator_cannot_delete_another_movements_meeting(as_user, world):
    client = as_user(world.vl_coord)
    url = URL.format(app="directory", model="meeting") + f"{world.cb_meeting.pk}/delete/"
    assert client.get(url).status_code == 302
    client.post(url, {"post": "yes"})
    assert Meeting.objects.filter(pk=world.cb_meeting.pk).exists()


def test_coordinator_edits_their_own_meeting_and_the_history_records_who(as_user, world):
    client = as_user(world.vl_coord)
    data = admin_form_data(client.get(change("meeting", world.vl_meeting.pk)), name="Nouveau nom")
    response = client.post(change("meeting", world.vl_meeting.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.vl_meeting.refresh_from_db()
    assert world.vl_meeting.name == "Nouveau nom"
    assert world.vl_meeting.revisions.latest().history_user == world.vl_coord


# --- crafted POSTs choosing another movement's row in a select ----------------


def test_coordinator_cannot_move_their_meeting_into_another_movements_group(as_user, world):
    client = as_user(world.vl_coord)
    data = admin_form_data(client.get(change("meeting", world.vl_meeting.pk)), group=str(world.cb_group.pk))
    response = client.post(change("meeting", world.vl_meeting.pk), data)
    assert response.status_code == 200
    assert "group" in response.context["adminform"].form.errors
    world.vl_meeting.refresh_from_db()
    assert world.vl_meeting.group == world.vl_group


def test_coordinator_cannot_create_a_group_for_another_movement(as_user, world):
    client = as_user(world.vl_coord)
    response = client.get(changelist("group") + "add/")
    form = response.context["adminform"].form
    assert list(form.fields["movement"].queryset) == [world.vl]
    data = admin_form_data(
        response,
        movement=str(world.cb.pk),
        name="Groupe intrus",
        commune=METZ,
        **{"meetings-TOTAL_FORMS": "0", "meetings-INITIAL_FORMS": "0"},
    )
    response = client.post(changelist("group") + "add/", data)
    assert response.status_code == 200 and "movement" in response.context["adminform"].form.errors
    assert not Group.objects.filter(name="Groupe intrus").exists()


def test_coordinator_creates_a_group_with_a_meeting_inline(as_user, world):
    client = as_user(world.vl_coord)
    venue = make_venue(insee=NANCY)
    data = admin_form_data(
        client.get(changelist("group") + "add/"),
        movement=str(world.vl.pk),
        name="Vie Libre – section de Nancy-Sud",
        commune=NANCY,
        published="on",
        **{
            "meetings-TOTAL_FORMS": "1",
            "meetings-INITIAL_FORMS": "0",
            "meetings-0-type": "groupe-de-parole",
            "meetings-0-audience": "tous",
            "meetings-0-frequency": "weekly",
            "meetings-0-interval": "1",
            "meetings-0-weekday": "2",
            "meetings-0-starts_on": "2026-01-07",
            "meetings-0-start_time": "18:00",
            "meetings-0-end_time": "20:00",
            "meetings-0-status": "active",
            "meetings-0-modality": "presentiel",
            "meetings-0-venue": str(venue.pk),
            "meetings-0-languages": "fr",
        },
    )
    response = client.post(changelist("group") + "add/", data)
    assert response.status_code == 302
    group = Group.objects.get(name="Vie Libre – section de Nancy-Sud")
    assert group.meetings.count() == 1


def test_coordinator_cannot_add_a_commitment_for_another_movement(as_user, world):
    client = as_user(world.vl_coord)
    item = CharterItem.objects.first()
    response = client.post(
        URL.format(app="charter", model="commitment") + "add/",
        {"movement": str(world.cb.pk), "item": str(item.pk), "how": "Intrusion", "source": ""},
    )
    assert response.status_code == 200 and "movement" in response.context["adminform"].form.errors
    assert not Commitment.objects.filter(how="Intrusion").exists()


# --- bulk actions --------------------------------------------------------------


def test_bulk_delete_ignores_another_movements_rows(as_user, world):
    client = as_user(world.vl_coord)
    client.post(
        changelist("meeting"),
        {"action": "delete_selected", "_selected_action": [world.cb_meeting.pk, world.vl_meeting.pk], "post": "yes"},
    )
    assert Meeting.objects.filter(pk=world.cb_meeting.pk).exists()
    assert not Meeting.objects.filter(pk=world.vl_meeting.pk).exists()


def test_confirm_up_to_date_action_only_touches_own_rows(as_user, world):
    client = as_user(world.vl_coord)
    client.post(
        changelist("meeting"),
        {"action": "mark_verified", "_selected_action": [world.cb_meeting.pk, world.vl_meeting.pk]},
    )
    world.vl_meeting.refresh_from_db()
    world.cb_meeting.refresh_from_db()
    assert world.vl_meeting.verified_at is not None
    assert world.cb_meeting.verified_at is None


# --- autocomplete ----------------------------------------------------------------


def autocomplete(client, model, field, term=""):
    return client.get(
        "/admin/autocomplete/", {"app_label": "directory", "model_name": model, "field_name": field, "term": term}
    )


def test_group_autocomplete_offers_only_own_groups(as_user, world):
    response = autocomplete(as_user(world.vl_coord), "meeting", "group")
    ids = {int(row["id"]) for row in response.json()["results"]}
    assert world.vl_group.pk in ids and world.cb_group.pk not in ids


def test_commune_autocomplete_works_for_a_coordinator(as_user, world):
    response = autocomplete(as_user(world.vl_coord), "group", "commune", "Epinal")
    assert response.status_code == 200
    assert "88160" in {row["id"] for row in response.json()["results"]}


def test_autocomplete_is_refused_to_a_staff_user_without_membership(as_user, world):
    from tests.factories import make_user

    assert autocomplete(as_user(make_user()), "meeting", "group").status_code == 403


# --- history, revert -----------------------------------------------------------------


def test_coordinator_cannot_see_another_movements_history(as_user, world):
    client = as_user(world.vl_coord)
    assert client.get(change("meeting", world.vl_meeting.pk).replace("change/", "history/")).status_code == 200
    assert client.get(change("meeting", world.cb_meeting.pk).replace("change/", "history/")).status_code == 403
    assert client.get(change("group", world.cb_group.pk).replace("change/", "history/")).status_code == 403


def test_coordinator_cannot_revert_another_movements_meeting(as_user, world):
    record = world.cb_meeting.revisions.earliest()
    url = changelist("meeting") + f"{world.cb_meeting.pk}/history/{record.history_id}/"
    client = as_user(world.vl_coord)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Piratée"}).status_code == 403


# --- observers --------------------------------------------------------------------------


def test_observer_reads_but_cannot_change(as_user, world):
    client = as_user(world.observer)
    assert client.get(changelist("meeting")).status_code == 200
    response = client.get(change("meeting", world.cb_meeting.pk))
    assert response.status_code == 200 and not response.context["has_change_permission"]
    data = admin_form_data(as_user(world.cb_coord).get(change("meeting", world.cb_meeting.pk)), name="Par l'ARS")
    client = as_user(world.observer)
    assert client.post(change("meeting", world.cb_meeting.pk), data).status_code == 403
    assert client.get(changelist("meeting") + "add/").status_code == 403
    world.cb_meeting.refresh_from_db()
    assert world.cb_meeting.name == "Réunion CB"


def test_observer_cannot_revert_through_the_history_form(as_user, world):
    world.cb_meeting.name = "Deuxième version"
    world.cb_meeting.save()
    record = world.cb_meeting.revisions.earliest()
    url = changelist("meeting") + f"{world.cb_meeting.pk}/history/{record.history_id}/"
    data = admin_form_data(as_user(world.cb_coord).get(url))
    client = as_user(world.observer)
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 403
    world.cb_meeting.refresh_from_db()
    assert world.cb_meeting.name == "Deuxième version"


# --- movements -----------------------------------------------------------------------


def test_coordinator_edits_own_fiche_but_cannot_create_delete_or_rename_its_url(as_user, world):
    client = as_user(world.vl_coord)
    response = client.get(change("movement", world.vl.pk))
    assert "slug" not in response.context["adminform"].form.fields
    data = admin_form_data(response, summary_fr="Nouveau résumé", slug="autre-adresse")
    assert client.post(change("movement", world.vl.pk), data).status_code == 302
    world.vl.refresh_from_db()
    assert world.vl.summary == "Nouveau résumé" and world.vl.slug == "vie-libre"
    assert client.get(changelist("movement") + "add/").status_code == 403
    assert client.post(changelist("movement") + f"{world.vl.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Movement.objects.filter(pk=world.vl.pk).exists()


# --- venues: shared places ---------------------------------------------------------------


def test_coordinator_may_change_a_venue_only_their_movement_uses(as_user, world):
    client = as_user(world.vl_coord)
    own = world.vl_meeting.venue
    data = admin_form_data(client.get(change("venue", own.pk)), access_notes="Entrée par la cour")
    assert client.post(change("venue", own.pk), data).status_code == 302
    own.refresh_from_db()
    assert own.access_notes == "Entrée par la cour"


def test_coordinator_cannot_change_a_venue_another_movement_uses(as_user, world):
    shared = world.cb_meeting.venue
    make_meeting(group=world.vl_group, venue=shared)
    client = as_user(world.vl_coord)
    response = client.get(change("venue", shared.pk))
    assert response.status_code == 200 and not response.context["has_change_permission"]
    data = admin_form_data(as_user(world.admin).get(change("venue", shared.pk)), access_notes="Modifié")
    client = as_user(world.vl_coord)
    assert client.post(change("venue", shared.pk), data).status_code == 403
    assert client.post(changelist("venue") + f"{shared.pk}/delete/", {"post": "yes"}).status_code == 403
    shared.refresh_from_db()
    assert shared.access_notes == ""


def test_coordinator_creates_a_venue_and_may_then_change_it(as_user, world):
    client = as_user(world.vl_coord)
    data = venue_form(address="3 rue Jean Jaurès")
    assert client.post(changelist("venue") + "add/", data).status_code == 302
    venue = Venue.objects.get(name="Salle Jean Jaurès")
    assert Venue.objects.editable_by(world.vl_coord).filter(pk=venue.pk).exists()
    assert not Venue.objects.editable_by(world.cb_coord).filter(pk=venue.pk).exists()


def test_venue_form_refuses_a_postal_code_of_another_commune_next_to_the_field(as_user, world):
    client = as_user(world.vl_coord)
    data = {"name": "Salle", "kind": "autre", "address": "1 rue", "postal_code": "57000", "commune": NANCY}
    response = client.post(changelist("venue") + "add/", data)
    assert "postal_code" in response.context["adminform"].form.errors


def test_coordinator_may_use_another_movements_venue_for_their_meeting(as_user, world):
    client = as_user(world.vl_coord)
    venue = world.cb_meeting.venue
    data = admin_form_data(client.get(change("meeting", world.vl_meeting.pk)), venue=str(venue.pk))
    # A Metz venue for a Nancy group: the form asks to confirm that distance.
    data["confirm_warnings"] = "on"
    assert client.post(change("meeting", world.vl_meeting.pk), data).status_code == 302
    world.vl_meeting.refresh_from_db()
    assert world.vl_meeting.venue == venue


# --- reference data, charter, users ---------------------------------------------------------


def test_reference_data_is_read_only_for_coordinators(as_user, world):
    client = as_user(world.vl_coord)
    assert client.get(changelist("commune")).status_code == 200
    assert client.get(change("commune", NANCY)).status_code == 200
    assert client.post(change("commune", NANCY), {"name": "Nancy-Ville"}).status_code == 403
    assert client.get(changelist("commune") + "add/").status_code == 403
    assert client.get(changelist("addictiontype")).status_code == 200
    item = CharterItem.objects.first()
    assert client.get(change("charteritem", item.pk, app="charter")).status_code == 200
    assert client.post(change("charteritem", item.pk, app="charter"), {"title": "x"}).status_code == 403


def test_users_and_memberships_are_for_administrators_only(as_user, world):
    client = as_user(world.vl_coord)
    assert client.get("/admin/auth/user/").status_code == 403
    assert client.get(changelist("membership")).status_code == 403
    client = as_user(world.admin)
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get(changelist("membership")).status_code == 200


def test_regional_administrator_sees_and_changes_everything(as_user, world):
    client = as_user(world.admin)
    shown = list(client.get(changelist("meeting")).context["cl"].result_list)
    assert world.vl_meeting in shown and world.cb_meeting in shown
    data = admin_form_data(client.get(change("meeting", world.cb_meeting.pk)), group=str(world.vl_group.pk))
    data["confirm_warnings"] = "on"  # a Nancy group meeting at a Metz venue: confirmed
    assert client.post(change("meeting", world.cb_meeting.pk), data).status_code == 302
    assert client.get(changelist("movement") + "add/").status_code == 200
    assert get_user_model().objects.get(username="admin_region").has_perm("auth.change_user")


def test_admin_index_shows_coordinators_only_their_sections(as_user, world):
    response = as_user(world.vl_coord).get("/admin/")
    models = {m["object_name"] for app in response.context["app_list"] for m in app["models"]}
    assert {"Movement", "Group", "Meeting", "Venue", "Commitment", "Commune"} <= models
    assert "Membership" not in models and "User" not in models


def test_change_page_links_to_the_public_page(as_user, world):
    client = as_user(world.vl_coord)
    html = client.get(change("meeting", world.vl_meeting.pk)).content.decode()
    assert "Voir sur le site" in html
    link = client.get(f"/admin/r/{_content_type_id(Meeting)}/{world.vl_meeting.pk}/")
    assert link.status_code == 302 and link["Location"].endswith(f"/reunions/{world.vl_meeting.pk}/")


def test_meeting_form_shows_french_errors_next_to_fields(as_user, world):
    client = as_user(world.vl_coord)
    data = admin_form_data(
        client.get(change("meeting", world.vl_meeting.pk)),
        end_time="19:00",
        modality="en-ligne",
        video_url="",
        phone="",
        status="suspended",
    )
    errors = client.post(change("meeting", world.vl_meeting.pk), data).context["adminform"].form.errors
    assert errors["end_time"] == ["L'heure de fin doit être après l'heure de début."]
    assert "lien de visioconférence" in errors["video_url"][0]
    assert "date de reprise" in errors["suspended_until"][0]


def _content_type_id(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


def test_two_identical_new_meetings_in_one_group_save_are_refused(as_user, world):
    client = as_user(world.vl_coord)
    venue = make_venue(insee=NANCY)
    meeting = {
        "type": "groupe-de-parole",
        "audience": "tous",
        "frequency": "weekly",
        "interval": "1",
        "weekday": "2",
        "starts_on": "2026-01-07",
        "start_time": "20:00",
        "end_time": "22:00",
        "status": "active",
        "modality": "presentiel",
        "venue": str(venue.pk),
        "languages": "fr",
    }
    fields = {f"meetings-{i}-{name}": value for i in (0, 1) for name, value in meeting.items()}
    data = admin_form_data(
        client.get(changelist("group") + "add/"),
        movement=str(world.vl.pk),
        name="Vie Libre – doublons",
        commune=NANCY,
        **{"meetings-TOTAL_FORMS": "2", "meetings-INITIAL_FORMS": "0", **fields},
    )
    response = client.post(changelist("group") + "add/", data)
    assert response.status_code == 200
    assert "figure deux fois dans le groupe" in response.content.decode()
    assert not Group.objects.filter(name="Vie Libre – doublons").exists()


def test_only_administrators_mark_entries_as_demo(as_user, world):
    url = f"/admin/directory/meeting/{world.vl_meeting.pk}/change/"
    assert 'name="is_demo"' not in as_user(world.vl_coord).get(url).content.decode()
    assert 'name="is_demo"' in as_user(world.admin).get(url).content.decode()


@pytest.mark.parametrize(
    "term, first", [("metz", "57463"), ("st die", "88413"), ("88100", "88413"), ("reims", "51454")]
)
def test_commune_autocomplete_ranks_like_the_finder(as_user, world, term, first):
    response = autocomplete(as_user(world.vl_coord), "venue", "commune", term)
    assert response.json()["results"][0]["id"] == first
