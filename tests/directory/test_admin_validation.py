import pytest

from directory.models import Meeting
from tests.factories import make_group, make_venue

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "un mot de passe solide 42")
    client.force_login(user)
    return client


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
