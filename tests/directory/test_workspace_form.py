"""The guided meeting form: times and schedule in words, a venue created on the spot, warnings, errors on top."""

import pytest

from directory.models import Meeting, Venue
from tests.factories import make_coordinator, make_group, make_venue

pytestmark = pytest.mark.django_db

ADD = "/admin/directory/meeting/add/"
REIMS = "51454"
CHARLEVILLE = "08105"


def form(group, **overrides):
    """What a coordinator types: the essentials only, everything else left as the form offers it."""
    data = {
        "group": group.pk,
        "weekday": "1",
        "start_time": "20h",
        "end_time": "22h",
        "frequency": "weekly",
        "interval": "1",
        "modality": "presentiel",
        "venue": "",
        "published": "on",
        "type": "groupe-de-parole",
        "audience": "tous",
        "languages": "fr",
        "starts_on": "2026-01-06",
        "status": "active",
    }
    data.update(overrides)
    return data


def errors_of(response):
    return response.context["adminform"].form.errors if response.status_code == 200 else {}


def test_a_weekly_meeting_with_a_new_venue_in_one_save(as_user, world):
    group = make_group(insee=REIMS, name="Vie Libre Reims")
    response = as_user(world.vl_coord).post(
        ADD, form(group, new_venue_name="Salle des Fêtes", new_venue_address="3 place d'Erlon")
    )
    assert response.status_code == 302, errors_of(response)
    meeting = Meeting.objects.get(venue__name="Salle des Fêtes")
    assert (meeting.start_time.hour, meeting.end_time.hour, meeting.schedule_display) == (20, 22, "chaque mardi")
    # The group's commune stands in for the venue's, with its postal code; no coordinates typed.
    venue = meeting.venue
    assert (venue.commune_id, venue.postal_code, venue.latitude) == (REIMS, "51100", None)
    # Made by her: she may change it afterwards, as any venue she created.
    assert Venue.objects.editable_by(world.vl_coord).filter(pk=venue.pk).exists()


def test_a_refused_save_creates_no_venue(as_user, world):
    before = Venue.objects.count()
    response = as_user(world.vl_coord).post(
        ADD, form(world.vl_group, end_time="19h", new_venue_name="Salle Neuve", new_venue_address="1 rue Neuve")
    )
    assert "end_time" in errors_of(response)
    assert Venue.objects.count() == before


@pytest.mark.parametrize(
    "overrides, positions, words",
    [
        ({"interval": "2"}, "", "un mardi sur deux"),
        ({"frequency": "monthly", "positions": ["1", "3"]}, "1,3", "1er et 3e mardis du mois"),
        ({"frequency": "monthly", "positions": ["-1"]}, "-1", "dernier mardi du mois"),
        ({"frequency": "monthly", "positions": "1,3"}, "1,3", "1er et 3e mardis du mois"),
    ],
)
def test_the_schedule_is_chosen_in_words(as_user, world, overrides, positions, words):
    venue = make_venue()
    response = as_user(world.vl_coord).post(ADD, form(world.vl_group, venue=venue.pk, **overrides))
    assert response.status_code == 302, errors_of(response)
    meeting = Meeting.objects.get(venue=venue)
    assert (meeting.positions, meeting.schedule_display) == (positions, words)


def test_the_form_offers_the_schedule_in_words(as_user, world):
    page = as_user(world.vl_coord).get(ADD).content.decode()
    for words in ["une semaine sur deux", "Certaines semaines du mois", " 1er</label>", " dernier</label>"]:
        assert words in page, words
    # No clock pop-up offering only Minuit, 6:00, Midi, 18:00.
    assert "vTimeField" not in page


def test_a_venue_far_from_the_group_needs_a_confirmation(as_user, world):
    group = make_group(insee=REIMS, name="Vie Libre Reims")
    far = make_venue(insee=CHARLEVILLE, name="Salle de Charleville")
    client = as_user(world.vl_coord)
    response = client.post(ADD, form(group, venue=far.pk))
    assert "plus de 30 km de Reims" in " ".join(errors_of(response)["venue"])
    assert 'name="confirm_warnings"' in response.content.decode()
    assert not Meeting.objects.filter(venue=far).exists()
    assert client.post(ADD, form(group, venue=far.pk, confirm_warnings="on")).status_code == 302
    assert Meeting.objects.filter(venue=far).exists()


def test_a_near_duplicate_venue_is_pointed_out(as_user, world):
    make_venue(name="Salle Jean-Jaurès", address="12 rue des Tiercelins")
    response = as_user(world.vl_coord).post(
        ADD,
        form(
            world.vl_group,
            new_venue_name="salle jean jaures",
            new_venue_address="12 r. des Tiercelins",
            new_venue_postal_code="54000",
        ),
    )
    assert "ressemble à « Salle Jean-Jaurès, Nancy »" in " ".join(errors_of(response)["new_venue_name"])


def test_a_commune_with_several_postal_codes_asks_which(as_user, world):
    group = make_group(insee="67482", name="Vie Libre Strasbourg")  # Strasbourg: 67000 … 67200
    response = as_user(world.vl_coord).post(ADD, form(group, new_venue_name="Salle", new_venue_address="1 rue X"))
    errors = errors_of(response)
    assert "plusieurs codes postaux (67000, 67100, 67200)" in " ".join(errors["new_venue_postal_code"])
    # The venue being typed is not also reported missing.
    assert "venue" not in errors


def test_a_postal_code_of_another_commune_is_refused_next_to_its_field(as_user, world):
    response = as_user(world.vl_coord).post(
        ADD,
        form(world.vl_group, new_venue_name="Salle", new_venue_address="1 rue X", new_venue_postal_code="57000"),
    )
    assert "code postal" in " ".join(errors_of(response)["new_venue_postal_code"])


def test_errors_are_summarised_at_the_top_with_links_to_their_fields(as_user, world):
    page = as_user(world.vl_coord).post(ADD, form(world.vl_group, start_time="25h")).content.decode()
    summary = page.split('class="error-summary"')[1].split("</div>")[0]
    assert 'href="#id_start_time"' in summary and "Saisissez une heure valide" in summary
    assert 'href="#id_venue"' in summary


def test_the_demo_flag_is_not_shown_to_coordinators(as_user, world):
    assert 'name="is_demo"' not in as_user(world.vl_coord).get(ADD).content.decode()
    assert 'name="is_demo"' in as_user(world.admin).get(ADD).content.decode()


def test_a_group_pop_up_does_not_ask_for_her_only_movement(as_user, world):
    form = as_user(world.vl_coord).get("/admin/directory/group/add/?_popup=1").context["adminform"].form
    assert form["movement"].value() == world.vl.pk
    # Coordinator of two movements: she chooses.
    two = make_coordinator("vie-libre", "croix-bleue")
    form = as_user(two).get("/admin/directory/group/add/").context["adminform"].form
    assert form["movement"].value() is None


def test_the_demo_flag_is_not_even_shown_read_only_to_coordinators(as_user, world):
    for url in [f"/admin/directory/group/{world.vl_group.pk}/change/", "/admin/directory/venue/add/"]:
        page = as_user(world.vl_coord).get(url).content.decode()
        assert "field-is_demo" not in page, url
    assert "field-is_demo" in as_user(world.admin).get("/admin/directory/venue/add/").content.decode()


def test_a_saved_meeting_opens_with_its_schedule_in_words(as_user, world):
    page = as_user(world.vl_coord).get(f"/admin/directory/meeting/{world.vl_meeting.pk}/change/").content.decode()
    assert "Chaque mardi, de 20:00 à 22:00" in page
