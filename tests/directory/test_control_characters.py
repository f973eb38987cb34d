"""Line breaks, control characters and bidi overrides: refused in every name and text, kept out of mail headers."""

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import models

from directory.models import ChangeRequest, Group, Meeting, Venue, validate_single_line, validate_text
from tests.directory.test_meeting_import import new_row, to_csv, upload
from tests.helpers import admin_form_data

pytestmark = pytest.mark.django_db

REFUSED_IN_A_LINE = ["\n", "\r", "\x00", "\x1b", "\t", "\x7f", "\x85", "\u2028", "\u202e", "\u2066", "\u2069"]
REFUSED_IN_A_TEXT = ["\x00", "\x1b", "\x0b", "\u202a", "\u202e", "\u2067"]


@pytest.fixture(autouse=True)
def empty_cache():
    # The report rate limit lives in the cache.
    cache.clear()
    yield
    cache.clear()


def test_every_name_and_text_field_refuses_control_characters():
    """Any CharField or TextField added later must carry the validator too."""
    missing = []
    for app in ["directory", "charter"]:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.fields:
                # Non-editable fields hold machine data (an uploaded file as received), never typed text.
                if not isinstance(field, models.CharField | models.TextField) or field.choices or not field.editable:
                    continue
                expected = validate_text if isinstance(field, models.TextField) else validate_single_line
                if expected not in field.validators:
                    missing.append(f"{model.__name__}.{field.name}")
    assert missing == []


@pytest.mark.parametrize("char", REFUSED_IN_A_LINE)
def test_single_line_validator_refuses_line_breaks_controls_and_bidi(char):
    from django.core.exceptions import ValidationError

    validate_single_line("Vie Libre – Nancy (Saint-Dié) « été »")
    with pytest.raises(ValidationError) as refused:
        validate_single_line(f"Vie Libre{char}Nancy")
    assert refused.value.code == "control_character"


@pytest.mark.parametrize("char", ["\n", "\x00", "\u202e"])
def test_a_group_name_with_a_control_character_is_refused_in_the_admin_in_french(as_user, world, char):
    client = as_user(world.vl_coord)
    url = f"/admin/directory/group/{world.vl_group.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url), name=f"Vie Libre{char}Nancy"))
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["name"])
    assert "caractère" in errors
    world.vl_group.refresh_from_db()
    assert world.vl_group.name == "Vie Libre Nancy"


def test_a_text_keeps_its_line_breaks_and_tabs_but_not_bidi_overrides(as_user, world):
    client = as_user(world.vl_coord)
    url = f"/admin/directory/meeting/{world.vl_meeting.pk}/change/"
    response = client.post(url, admin_form_data(client.get(url), notes="Entrée\u202e rue\u202c B"))
    assert "inversion du sens d'écriture" in " ".join(response.context["adminform"].form.errors["notes"])
    response = client.post(url, admin_form_data(client.get(url), notes="2e étage\r\n\tporte gauche"))
    assert response.status_code == 302
    world.vl_meeting.refresh_from_db()
    assert world.vl_meeting.notes == "2e étage\r\n\tporte gauche"


@pytest.mark.parametrize("char", REFUSED_IN_A_TEXT)
def test_text_validator_refuses_controls_other_than_line_breaks_and_tabs(char):
    from django.core.exceptions import ValidationError

    validate_text("ligne 1\r\nligne\t2")
    with pytest.raises(ValidationError) as refused:
        validate_text(f"ligne{char}2")
    assert refused.value.code == "control_character"


def test_the_csv_import_refuses_a_line_break_in_a_meeting_or_venue_name(as_user, world):
    client = as_user(world.vl_coord)
    rows = [
        new_row(world, intitule="Réunion\r\nBcc: x@example.org"),
        new_row(world, lieu="Salle\u202eA", jour="lundi"),
    ]
    result = upload(client, to_csv(rows)).context["result"]
    assert not result.ok
    messages = " ".join(message for _, message in result.errors)
    assert "retour à la ligne" in messages and "inversion du sens d'écriture" in messages
    assert not Meeting.objects.filter(name__startswith="Réunion\r").exists()
    assert not Venue.objects.filter(name__startswith="Salle\u202e").exists()


def test_a_line_break_in_an_old_group_name_does_not_break_its_reports(client, world, mailoutbox):
    """Rows saved before the validator existed: the mail subject is made one line, the report is not a 500."""
    Group.objects.filter(pk=world.vl_group.pk).update(name="Vie Libre\r\nBcc: victime@example.org")
    response = client.post(f"/groupes/{world.vl_group.pk}/signaler/", {"message": "Le groupe a déménagé en mars."})
    assert response.status_code == 302
    assert ChangeRequest.objects.get().group_id == world.vl_group.pk
    [mail] = mailoutbox
    assert "\n" not in mail.subject and "\r" not in mail.subject
    assert mail.subject.endswith("Vie Libre Bcc: victime@example.org")
    assert mail.recipients() == ["coord_vl@example.org"] and mail.message().get_all("Bcc") is None


def test_a_contact_with_a_line_break_is_refused_in_the_public_form(client, world):
    response = client.post(
        f"/groupes/{world.vl_group.pk}/signaler/", {"message": "Le groupe a déménagé en mars.", "contact": "a\nb"}
    )
    assert response.status_code == 200 and "retour à la ligne" in response.content.decode()
    assert not ChangeRequest.objects.exists()
