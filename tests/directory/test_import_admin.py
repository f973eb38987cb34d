"""Sources in the admin: coordinators manage their own, preview, confirm, resolve conflicts; provenance in public."""

from datetime import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from directory.models import ImportedRecord, Meeting, Source
from tests import factories as f
from tests.directory.import_samples import HERE

pytestmark = pytest.mark.django_db
ADD = "/admin/directory/source/add/"


@pytest.fixture
def na_coord():
    return f.make_coordinator("narcotiques-anonymes", username="coord_na")


def source_form(movement, **overrides):
    data = {
        "movement": movement.pk,
        "name": "NA Région Grand Est",
        "kind": "bmlt",
        "url": "",
        "filter": "",
        "licence": "CC BY 4.0",
        "missed_runs_to_close": "3",
        "active": "on",
        "upload": SimpleUploadedFile("bmlt.json", (HERE / "bmlt.json").read_bytes()),
    }
    return data | overrides


def add_source(client, **overrides):
    response = client.post(ADD, source_form(f.get_movement("narcotiques-anonymes"), **overrides))
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return Source.objects.latest("pk")


def test_a_coordinator_previews_then_confirms_a_source(as_user, na_coord):
    client = as_user(na_coord)
    source = add_source(client)

    response = client.post(f"/admin/directory/source/{source.pk}/previsualiser/", follow=True)

    page = response.content.decode()
    assert "Prévisualisation : rien n'est encore appliqué." in page
    assert "1000 – NA Espoir Strasbourg" in page
    assert "Confirmer et appliquer" in page
    assert not Meeting.objects.filter(group__movement__slug="narcotiques-anonymes").exists()

    client.post(f"/admin/directory/source/{source.pk}/confirmer/")

    meeting = ImportedRecord.objects.get(external_id="1000").meeting
    assert Meeting.objects.filter(group__movement__slug="narcotiques-anonymes").count() == 60
    version = meeting.revisions.get()
    assert (version.history_user, version.history_change_reason) == (na_coord, source.change_reason)


def test_confirming_without_a_preview_applies_nothing(as_user, na_coord):
    client = as_user(na_coord)
    source = add_source(client)

    response = client.post(f"/admin/directory/source/{source.pk}/confirmer/", follow=True)

    assert "Aucune prévisualisation à confirmer" in response.content.decode()
    assert not ImportedRecord.objects.exists()


def test_a_run_is_a_post(as_user, na_coord):
    client = as_user(na_coord)
    source = add_source(client)

    assert client.get(f"/admin/directory/source/{source.pk}/previsualiser/").status_code == 405


def test_a_malformed_file_is_reported_on_the_source_not_a_500(as_user, na_coord):
    client = as_user(na_coord)
    source = add_source(client, upload=SimpleUploadedFile("x.json", b"{pas du json"))

    response = client.post(f"/admin/directory/source/{source.pk}/previsualiser/", follow=True)

    assert response.status_code == 200
    assert "Ce n&#x27;est pas du JSON lisible" in response.content.decode()
    source.refresh_from_db()
    assert source.status == Source.Status.ERROR


def test_a_source_needs_a_url_or_a_file(as_user, na_coord):
    client = as_user(na_coord)
    data = source_form(f.get_movement("narcotiques-anonymes"))
    del data["upload"]

    response = client.post(ADD, data)

    assert "Indiquez l&#x27;adresse de la liste, ou déposez un fichier." in response.content.decode()


def other_client(user):
    """A second browser: messages of the first session must not leak into the assertions."""
    client = Client()
    client.force_login(user)
    return client


def test_coordinators_reach_only_their_movements_sources(as_user, world, na_coord):
    source = add_source(as_user(na_coord))
    client = other_client(world.vl_coord)

    assert source.name not in client.get("/admin/directory/source/").content.decode()
    assert client.get(f"/admin/directory/source/{source.pk}/change/").status_code == 302
    assert client.post(f"/admin/directory/source/{source.pk}/previsualiser/").status_code == 404
    response = client.post(ADD, source_form(f.get_movement("narcotiques-anonymes")))
    assert response.status_code == 200  # "choix valide": not their movement
    assert Source.objects.count() == 1


def test_observers_see_sources_but_cannot_run_them(as_user, world):
    source = Source.objects.create(movement=world.vl, name="Vie Libre", kind="csv", uploaded_data="x")
    client = as_user(world.observer)

    assert client.get(f"/admin/directory/source/{source.pk}/change/").status_code == 200
    assert client.post(f"/admin/directory/source/{source.pk}/previsualiser/").status_code == 403


def imported(na_coord, client):
    source = add_source(client)
    client.post(f"/admin/directory/source/{source.pk}/previsualiser/")
    client.post(f"/admin/directory/source/{source.pk}/confirmer/")
    return source


def conflict(source, client):
    """A local edit of meeting 1000's start, then the source moves it too."""
    meeting = ImportedRecord.objects.get(external_id="1000").meeting
    meeting.start_time = time(18, 45)
    meeting.save()
    source.refresh_from_db()
    source.uploaded_data = source.uploaded_data.replace('"start_time": "18:30:00"', '"start_time": "17:00:00"', 1)
    source.save()
    client.post(f"/admin/directory/source/{source.pk}/previsualiser/")
    client.post(f"/admin/directory/source/{source.pk}/confirmer/")
    return ImportedRecord.objects.get(external_id="1000")


def test_conflicts_are_listed_and_the_source_version_can_be_taken(as_user, na_coord):
    client = as_user(na_coord)
    record = conflict(imported(na_coord, client), client)

    listing = client.get("/admin/directory/importedrecord/", {"conflit": "oui"}).content.decode()
    assert "heure de début" in listing
    detail = client.get(f"/admin/directory/importedrecord/{record.pk}/change/").content.decode()
    assert "18:45" in detail and "17:00" in detail
    assert "20:00" in detail and "18:30" in detail  # the end time waits with the start time

    client.post(
        "/admin/directory/importedrecord/", {"action": "take_source", "_selected_action": [record.pk], "index": 0}
    )

    record.refresh_from_db()
    assert record.conflicts == {}
    assert (record.meeting.start_time, record.meeting.end_time) == (time(17, 0), time(18, 30))


def test_keeping_the_local_version_survives_the_next_sync(as_user, na_coord):
    client = as_user(na_coord)
    source = imported(na_coord, client)
    record = conflict(source, client)

    client.post("/admin/directory/importedrecord/", {"action": "keep_local", "_selected_action": [record.pk]})
    client.post(f"/admin/directory/source/{source.pk}/previsualiser/")
    client.post(f"/admin/directory/source/{source.pk}/confirmer/")

    record.refresh_from_db()
    assert record.conflicts == {}
    assert record.meeting.start_time == time(18, 45)


def test_another_movements_coordinator_cannot_resolve_conflicts(as_user, na_coord, world):
    client = as_user(na_coord)
    record = conflict(imported(na_coord, client), client)

    other_client(world.vl_coord).post(
        "/admin/directory/importedrecord/", {"action": "take_source", "_selected_action": [record.pk]}
    )

    record.refresh_from_db()
    assert record.conflicts != {}


def test_a_meeting_page_names_its_source_and_open_data_lists_it(as_user, na_coord, client):
    imported(na_coord, as_user(na_coord))
    client.logout()
    meeting = ImportedRecord.objects.get(external_id="1000").meeting

    page = client.get(meeting.get_absolute_url()).content.decode()
    data = client.get("/donnees/").content.decode()

    assert "Source : liste des réunions de NA Région Grand Est, synchronisée le" in page
    assert "liste des réunions de NA Région Grand Est, synchronisée le" in data
    assert "CC BY 4.0" in data


def test_a_meeting_typed_in_the_admin_names_no_source(client, world):
    page = client.get(world.vl_meeting.get_absolute_url()).content.decode()

    assert "Source : liste des réunions" not in page


def test_no_url_of_another_movements_source_or_record_is_reachable(as_user, na_coord, world):
    client = as_user(na_coord)
    record = conflict(imported(na_coord, client), client)
    source = record.source
    outsider = other_client(world.vl_coord)
    urls = [f"/admin/directory/source/{source.pk}/{suffix}/" for suffix in ("change", "delete", "history")]
    urls += [f"/admin/directory/importedrecord/{record.pk}/{suffix}/" for suffix in ("change", "history")]

    for url in urls:
        response = outsider.get(url)
        assert response.status_code in (302, 403, 404), url
        assert source.name not in response.content.decode(), url
    for listing in ("/admin/directory/importedrecord/", "/admin/directory/importedrecord/?conflit=oui"):
        assert f"/admin/directory/importedrecord/{record.pk}/change/" not in outsider.get(listing).content.decode()
    assert f"/admin/directory/importedrecord/{record.pk}/change/" in client.get(listing).content.decode()
