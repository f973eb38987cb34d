"""Meeting Guide feed import and keeping in step: served over HTTP by a local server, synced by cron."""

import io
import json
from datetime import time

import pytest
from django.core.management import call_command

from directory.models import ImportedRecord, Meeting, Source
from tests import factories as f
from tests.directory.import_samples import sample, serve

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def local_server_allowed(settings):
    settings.IMPORT_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture
def feed():
    """The sample as a mutable list, served at /feed.json for as long as the test runs."""
    items = json.loads(sample("meeting-guide.json"))
    with serve({"/feed.json": (200, {"Content-Type": "application/json"}, lambda: json.dumps(items))}) as base:
        yield items, f"{base}/feed.json"


def make_source(url, **fields):
    fields.setdefault("trusted", True)
    return Source.objects.create(
        movement=f.get_movement("alcooliques-anonymes"), name="AA Grand Est", kind="meeting-guide", url=url, **fields
    )


def cron():
    out = io.StringIO()
    call_command("sync_sources", stdout=out)
    return out.getvalue()


def confirm(source):
    from directory.importers import sync

    source.refresh_from_db()
    return sync.confirm(source)


def by_slug(slug):
    return ImportedRecord.objects.select_related("meeting").get(external_id=slug).meeting


def aa_meetings():
    return Meeting.objects.filter(group__movement__slug="alcooliques-anonymes")


def test_the_command_imports_the_feed_from_a_url(feed, client):
    _items, url = feed
    out = io.StringIO()
    call_command("import_meetings", "--format", "meeting-guide", "--movement", "alcooliques-anonymes", url, stdout=out)

    assert aa_meetings().count() == 60
    page = client.get("/reunions/", {"mouvement": "alcooliques-anonymes", "departement": "57"})
    assert "Espoir Metz" in page.content.decode()
    feed_out = client.get("/donnees/meeting-guide.json", {"mouvement": "alcooliques-anonymes"})
    assert len(json.loads(b"".join(feed_out.streaming_content) if feed_out.streaming else feed_out.content)) == 60


def test_it_maps_day_types_and_conference_links(feed):
    _items, url = feed
    source = make_source(url)
    cron()
    confirm(source)

    # aa-0: day 1 (Monday, 0 = Sunday), 18:00–19:45, types O, D, X, FR, in Strasbourg.
    first = by_slug("aa-0")
    assert first.weekday == Meeting.Weekday.MONDAY
    assert (first.start_time, first.end_time) == (time(18, 0), time(19, 45))
    assert first.audience == "tous"
    assert first.venue.wheelchair_accessible is True
    assert first.group.name == "Groupe Espoir Strasbourg"
    assert "Sonnez à l'interphone." in first.notes
    assert by_slug("aa-1").audience == "concernes"
    hybrid = by_slug("aa-4")
    assert hybrid.modality == Meeting.Modality.HYBRID
    assert hybrid.video_url == "https://zoom.us/j/900000004"
    assert by_slug("aa-2").languages == "de"


def test_the_first_run_waits_for_confirmation(feed):
    _items, url = feed
    source = make_source(url)

    output = cron()

    source.refresh_from_db()
    assert "à confirmer" in output
    assert source.status == Source.Status.PREVIEW
    assert len(source.last_report["created"]) == 60
    assert not aa_meetings().exists()
    confirm(source)
    assert aa_meetings().count() == 60


def test_an_untrusted_source_waits_for_confirmation_every_time(feed):
    items, url = feed
    source = make_source(url, trusted=False)
    cron()
    confirm(source)
    items[0]["time"] = "17:00"

    cron()

    assert by_slug("aa-0").start_time == time(18, 0)
    confirm(source)
    assert by_slug("aa-0").start_time == time(17, 0)


def test_a_second_sync_applies_exactly_the_difference(feed):
    items, url = feed
    source = make_source(url)
    cron()
    confirm(source)
    untouched = by_slug("aa-10")
    versions = Meeting.revisions.count()
    items[0]["time"], items[0]["end_time"] = "17:00", "18:00"
    items[1]["types"] = ["O", "D", "FR"]
    items.append({**items[5], "slug": "aa-new", "name": "Nouveau groupe", "group": "Nouveau groupe", "time": "07:00"})

    cron()

    source.refresh_from_db()
    report = source.last_report
    assert len(report["created"]) == 1
    assert sorted(item["label"].split(" –")[0] for item in report["changed"]) == ["aa-0", "aa-1"]
    assert report["unchanged"] == 58
    assert by_slug("aa-0").start_time == time(17, 0)
    assert by_slug("aa-1").audience == "tous"
    assert Meeting.revisions.count() == versions + 3
    assert by_slug("aa-10").updated_at == untouched.updated_at
    cron()
    assert Meeting.revisions.count() == versions + 3  # idempotent


def test_a_local_edit_survives_as_a_conflict(feed):
    items, url = feed
    source = make_source(url)
    cron()
    confirm(source)
    meeting = by_slug("aa-0")
    meeting.start_time = time(18, 15)
    meeting.notes = "Corrigé par la coordination."
    meeting.save()
    items[0]["time"] = "17:30"  # changed at the source too: a conflict
    items[0]["location"] = "Salle Nouvelle"  # changed at the source only: applied

    cron()

    meeting.refresh_from_db()
    assert meeting.start_time == time(18, 15)
    assert meeting.notes == "Corrigé par la coordination."
    assert meeting.venue.name == "Salle Nouvelle"
    record = meeting.imported_record
    assert record.conflicts == {"start_time": {"local": "18:15", "source": "17:30"}}
    source.refresh_from_db()
    assert source.last_report["conflicts"][0]["fields"] == ["heure de début"]


def test_a_meeting_missing_from_its_source_is_closed_after_the_set_number_of_runs(feed):
    items, url = feed
    source = make_source(url, missed_runs_to_close=2)
    cron()
    confirm(source)
    gone = items.pop(0)

    cron()
    assert by_slug("aa-0").status == Meeting.Status.ACTIVE
    cron()

    meeting = by_slug("aa-0")
    assert meeting.status == Meeting.Status.CLOSED
    assert meeting.revisions.first().history_change_reason == source.change_reason
    items.insert(0, gone)
    cron()
    assert by_slug("aa-0").status == Meeting.Status.ACTIVE


def test_a_meeting_malformed_at_its_source_is_not_closed(feed):
    items, url = feed
    source = make_source(url, missed_runs_to_close=1)
    cron()
    confirm(source)
    items[0]["time"] = "25:99"

    cron()

    meeting = by_slug("aa-0")
    assert meeting.status == Meeting.Status.ACTIVE
    assert meeting.start_time == time(18, 0)


def test_a_meeting_deleted_here_is_not_brought_back(feed):
    _items, url = feed
    source = make_source(url)
    cron()
    confirm(source)
    by_slug("aa-0").delete()

    cron()

    assert aa_meetings().count() == 59
    assert ImportedRecord.objects.get(external_id="aa-0").meeting is None


def test_a_region_filter_keeps_only_its_meetings(feed):
    _items, url = feed
    source = make_source(url, filter="Metz")
    cron()
    confirm(source)

    assert aa_meetings().count() == 5


def test_a_meeting_on_several_days_is_one_meeting_per_day(feed):
    items, url = feed
    items[:] = [items[0] | {"day": [1, 4]}]
    source = make_source(url)
    cron()
    confirm(source)

    assert sorted(aa_meetings().values_list("weekday", flat=True)) == [
        Meeting.Weekday.MONDAY,
        Meeting.Weekday.THURSDAY,
    ]


def test_malformed_records_are_rejected_with_their_reason(feed):
    items, url = feed
    items[0]["time"] = "25:99"
    items[1]["day"] = "lundi"
    items[2]["city"], items[2]["postal_code"] = "Nulle-Part", "12345"
    items[3].pop("slug")
    items[4]["conference_url"] = "javascript:alert(1)"
    items[5]["end_time"] = "06:00"
    items[6] = {"slug": "aa-appointment", "name": "Sur rendez-vous"}
    items[7]["name"] = ["pas", "une", "chaîne"]
    items[8]["types"] = "O"
    items[9]["types"] = ["O", "ZZ"]
    source = make_source(url)
    cron()

    source.refresh_from_db()
    reasons = dict(source.last_report["rejected"])
    assert reasons["aa-0"] == "Heure de début invalide : « 25:99 » (HH:MM attendu)."
    assert reasons["aa-1"].startswith("Jour invalide")
    assert reasons["aa-2"] == "Commune introuvable en Grand Est : « 12345 Nulle-Part »."
    assert reasons["#4"] == "« slug » manquant."
    assert reasons["aa-4"].startswith("Lien de visioconférence invalide")
    assert reasons["aa-5"] == "L'heure de fin doit être après l'heure de début."
    assert reasons["aa-appointment"].startswith("Réunion sans jour ni heure")
    assert reasons["aa-7"].startswith("Valeur d'un type inattendu")
    assert reasons["aa-8"] == "« types » doit être une liste de codes."
    assert source.last_report["warnings"] == [["aa-9", "Types inconnus gardés dans les notes : ZZ."]]
    assert len(source.last_report["created"]) == 51


def test_one_failing_source_does_not_stop_the_others(feed):
    _items, url = feed
    broken = make_source(url.replace("/feed.json", "/absent.json"))
    working = make_source(url)

    output = cron()

    broken.refresh_from_db()
    working.refresh_from_db()
    assert broken.status == Source.Status.ERROR
    assert broken.last_report["error"] == "Le serveur a répondu 404."
    assert working.status == Source.Status.PREVIEW
    assert "erreur" in output
