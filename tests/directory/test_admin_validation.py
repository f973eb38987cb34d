from datetime import timedelta

import pytest
from django.utils import timezone

from directory.models import Meeting, positions_validator
from tests.factories import make_group, make_venue
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(as_user, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "un mot de passe solide 42")
    return as_user(user)


def meeting_form(**overrides):
    group = make_group()
    data = {
        "group": group.pk,
        "name": "",
        "type": "groupe-de-parole",
        "audience": "tous",
        "languages": "fr",
        "frequency": "weekly",
        "interval": "1",
        "weekday": "1",
        "positions": "",
        "starts_on": "2026-01-06",
        "start_time": "20:00",
        "end_time": "22:00",
        "status": "active",
        "suspended_until": "",
        "modality": "presentiel",
        "venue": make_venue().pk,
        "video_url": "",
        "phone": "",
        "notes": "",
        "published": "on",
        "verified_at": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"start_time": "20:00", "end_time": "19:00"}, "L&#x27;heure de fin doit être après l&#x27;heure de début."),
        ({"modality": "en-ligne", "venue": ""}, "lien de visioconférence ou d&#x27;un téléphone"),
        ({"frequency": "monthly", "positions": ""}, "Indiquez quelle(s) semaine(s) du mois"),
        ({"frequency": "monthly", "positions": "1,7"}, "Positions dans le mois"),
        ({"status": "suspended"}, "Indiquez la date de reprise"),
        ({"start_time": "25:00"}, "Saisissez une heure valide"),
        ({"verified_at": "2099-01-01"}, "ne peut pas être dans le futur"),
        ({"verified_at": "1900-01-01"}, "Date de vérification invraisemblable"),
    ],
)
def test_the_admin_refuses_an_impossible_schedule_with_a_french_message(admin_client, overrides, message):
    before = Meeting.objects.count()
    response = admin_client.post("/admin/directory/meeting/add/", meeting_form(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Meeting.objects.count() == before


def test_the_admin_saves_a_valid_meeting(admin_client):
    response = admin_client.post("/admin/directory/meeting/add/", meeting_form())
    assert response.status_code == 302
    assert Meeting.objects.filter(group__name__startswith="Groupe de test").count() == 1


def errors_of(response):
    form = response.context["adminform"].form
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}


def test_a_new_suspension_must_end_in_the_future(admin_client):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = admin_client.post(
        "/admin/directory/meeting/add/", meeting_form(status="suspended", suspended_until=yesterday)
    )
    assert errors_of(response) == {"suspended_until": ["La date de reprise doit être à venir."]}
    today = timezone.localdate().isoformat()
    response = admin_client.post(
        "/admin/directory/meeting/add/", meeting_form(status="suspended", suspended_until=today)
    )
    assert response.status_code == 302


def test_a_suspension_whose_return_date_has_passed_can_still_be_edited(as_user, world):
    client = as_user(world.vl_coord)
    past = timezone.localdate() - timedelta(days=10)
    Meeting.objects.filter(pk=world.vl_meeting.pk).update(status="suspended", suspended_until=past)
    url = f"/admin/directory/meeting/{world.vl_meeting.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url), notes="Salle du fond"))
    assert response.status_code == 302, errors_of(response)
    world.vl_meeting.refresh_from_db()
    assert world.vl_meeting.notes == "Salle du fond" and world.vl_meeting.suspended_until == past
    # Changing that date, though, must give one to come.
    earlier = (past - timedelta(days=1)).isoformat()
    response = client.post(url, admin_form_data(client.get(url), suspended_until=earlier))
    assert errors_of(response) == {"suspended_until": ["La date de reprise doit être à venir."]}


def test_a_return_date_is_dropped_when_the_meeting_is_not_suspended(admin_client):
    soon = (timezone.localdate() + timedelta(days=20)).isoformat()
    response = admin_client.post("/admin/directory/meeting/add/", meeting_form(status="active", suspended_until=soon))
    assert response.status_code == 302
    assert Meeting.objects.get(group__name__startswith="Groupe de test").suspended_until is None


@pytest.mark.parametrize("starts_on", ["1949-12-31", "future"])
def test_an_absurd_first_date_is_refused(admin_client, starts_on):
    if starts_on == "future":
        starts_on = (timezone.localdate() + timedelta(days=2 * 366)).isoformat()
    response = admin_client.post("/admin/directory/meeting/add/", meeting_form(starts_on=starts_on))
    assert list(errors_of(response)) == ["starts_on"]
    assert "entre 1950 et dans deux ans" in errors_of(response)["starts_on"][0]


def test_unknown_language_codes_are_refused_and_known_ones_accepted(admin_client):
    response = admin_client.post("/admin/directory/meeting/add/", meeting_form(languages="fr xx"))
    assert errors_of(response) == {"languages": ["Code de langue inconnu : « xx »."]}
    response = admin_client.post("/admin/directory/meeting/add/", meeting_form(languages="fr ar lb"))
    assert response.status_code == 302
    assert Meeting.objects.get(languages="fr ar lb").language_names == "français, arabe, luxembourgeois"


@pytest.mark.parametrize("phone", ["03 83 12 34 56", "+33 (0)3 83 12 34 56", "03.83.12.34.56", "0800-23-13-13"])
def test_usual_phone_numbers_are_accepted(admin_client, phone):
    response = admin_client.post("/admin/directory/meeting/add/", meeting_form(phone=phone))
    assert response.status_code == 302


@pytest.mark.parametrize("phone", ["appelez Marc", "12345", "03 83 12 34 56 poste 12"])
def test_a_phone_field_with_anything_but_a_number_is_refused(admin_client, phone):
    response = admin_client.post("/admin/directory/meeting/add/", meeting_form(phone=phone))
    assert "Numéro de téléphone" in errors_of(response)["phone"][0]


def test_group_phone_and_movement_helpline_are_checked_too(as_user, world):
    client = as_user(world.vl_coord)
    url = f"/admin/directory/group/{world.vl_group.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url), phone="voir site"))
    assert "Numéro de téléphone" in errors_of(response)["phone"][0]
    url = f"/admin/directory/movement/{world.vl.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url), helpline="voir site"))
    assert "Numéro de téléphone" in errors_of(response)["helpline"][0]


def test_a_coordinator_cannot_create_an_exact_duplicate_of_a_meeting(as_user, world):
    client = as_user(world.vl_coord)
    data = meeting_form(group=world.vl_group.pk, venue=world.vl_meeting.venue_id)
    response = client.post("/admin/directory/meeting/add/", data)
    assert errors_of(response) == {
        "__all__": [f"Cette réunion existe déjà (n°{world.vl_meeting.pk}) : même groupe, jour, horaire et lieu."]
    }
    # Elsewhere, or every other week, it is another meeting.
    assert client.post("/admin/directory/meeting/add/", {**data, "venue": make_venue().pk}).status_code == 302
    assert client.post("/admin/directory/meeting/add/", {**data, "interval": "2"}).status_code == 302


def test_online_meetings_are_duplicates_only_with_the_same_link_and_phone(as_user, world):
    client = as_user(world.vl_coord)
    online = {"modality": "en-ligne", "venue": "", "video_url": "https://visio.example/a"}
    data = meeting_form(group=world.vl_group.pk, weekday="3", **online)
    assert client.post("/admin/directory/meeting/add/", data).status_code == 302
    assert "__all__" in errors_of(client.post("/admin/directory/meeting/add/", data))
    other_link = {**data, "video_url": "https://visio.example/b"}
    assert client.post("/admin/directory/meeting/add/", other_link).status_code == 302


def test_malformed_positions_are_reported_once(admin_client):
    response = admin_client.post("/admin/directory/meeting/add/", meeting_form(frequency="monthly", positions="1,9"))
    assert errors_of(response) == {"positions": [str(positions_validator.message)]}


def test_a_monthly_meeting_every_other_week_is_refused_on_the_interval(admin_client):
    response = admin_client.post(
        "/admin/directory/meeting/add/", meeting_form(frequency="monthly", positions="1", interval="2")
    )
    assert errors_of(response) == {"interval": ["Une réunion mensuelle n'a pas d'intervalle de semaines : laissez 1."]}


def test_repeated_languages_and_positions_are_kept_once(admin_client):
    form = meeting_form(languages="fr de fr", frequency="monthly", positions="3,1,3")
    assert admin_client.post("/admin/directory/meeting/add/", form).status_code == 302
    meeting = Meeting.objects.get(group__name__startswith="Groupe de test")
    assert (meeting.languages, meeting.positions) == ("fr de", "1,3")


@pytest.mark.parametrize(
    "overrides, field_message",
    [
        ({"interval": "9"}, "entre 1 et 8 semaines"),
        ({"positions": "1"}, "ne valent que pour une réunion mensuelle"),
    ],
)
def test_schedule_errors_stand_next_to_their_field(admin_client, overrides, field_message):
    response = admin_client.post("/admin/directory/meeting/add/", meeting_form(**overrides))
    field = next(name for name in overrides)
    assert field_message in " ".join(response.context["adminform"].form.errors.get(field, []))


def test_a_movement_refuses_impossible_years(admin_client):
    from directory.models import Movement

    movement = Movement.objects.get(slug="croix-bleue")
    movement.founded_year = 3000
    with pytest.raises(Exception) as excinfo:
        movement.full_clean()
    assert "Année de fondation invraisemblable" in str(excinfo.value)
    movement.founded_year, movement.is_rup, movement.rup_year = 1877, False, 1922
    with pytest.raises(Exception) as excinfo:
        movement.full_clean()
    assert "Cochez" in str(excinfo.value)
