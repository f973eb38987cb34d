"""The CSV import reads the words people write (and the export's recurrence words) as well as the codes."""

import pytest

from directory.models import Meeting
from directory.wording import choice_reader, interval_from_words, positions_from_words
from tests.directory.test_meeting_import import confirm, new_row, to_csv, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "text, positions",
    [("1er et 3e jeudis", "1,3"), ("1er et 3e jeudis du mois", "1,3"), ("dernier", "-1"), ("1,3", "1,3"),
     ("2e, 4e", "2,4"), ("1er, 3e et dernier samedis du mois", "1,3,-1")],
)  # fmt: skip
def test_positions_in_words(text, positions):
    assert positions_from_words(text) == positions


@pytest.mark.parametrize(
    "text, interval",
    [("une semaine sur deux", "2"), ("chaque semaine", "1"), ("toutes les 3 semaines", "3"), ("2", "2")],
)
def test_intervals_in_words(text, interval):
    assert interval_from_words(text) == interval


def test_a_choice_is_read_by_code_label_or_first_word_but_never_guessed():
    read = choice_reader(Meeting.Type.choices)
    assert read("groupe-de-parole") == read("Groupe de parole") == read("GROUPE DE PAROLE") == "groupe-de-parole"
    # Two labels start with "Permanence": the word alone is left for the form to refuse.
    assert read("permanence") == "permanence"
    frequency = choice_reader(Meeting.Frequency.choices)
    assert frequency("Hebdomadaire") == frequency("hebdomadaire (toutes les N semaines)") == "weekly"


def test_a_file_written_with_words_imports(as_user, world):
    client = as_user(world.vl_coord)
    rows = [
        new_row(
            world,
            type="Groupe de parole",
            public="Tous publics",
            frequence="Mensuelle",
            positions="1er et 3e jeudis",
            heure_debut="18h30",
            heure_fin="20h",
            statut="Active",
            modalite="En présentiel",
            code_insee="",
            commune="Nancy",  # two postal codes: the row's own decides
        ),
        new_row(
            world,
            frequence="hebdomadaire",
            intervalle="une semaine sur deux",
            positions="",
            jour="Lundi",
            heure_debut="20h",
            heure_fin="22h",
            lieu="Salle Poirel",
            adresse="3 rue Victor Poirel",
        ),
    ]
    preview = upload(client, to_csv(rows))
    result = preview.context["result"]
    assert result.ok, result.errors
    assert result.created == 2
    # The preview shows each row as it will be published, not only counts.
    page = preview.content.decode()
    assert "1er et 3e jeudis du mois de 18:30 à 20:00" in page and "un lundi sur deux de 20:00 à 22:00" in page
    assert "Salle Poirel, Nancy" in page and "(publiée)" in page
    assert confirm(client, preview).status_code == 302
    monthly = Meeting.objects.get(venue__name="Maison des associations")
    assert (monthly.schedule_display, f"{monthly.start_time:%H:%M}") == ("1er et 3e jeudis du mois", "18:30")
    assert monthly.venue.commune_id == "54395"
    assert Meeting.objects.get(venue__name="Salle Poirel").schedule_display == "un lundi sur deux"


def test_unknown_words_are_still_refused_by_the_form(as_user, world):
    result = upload(as_user(world.vl_coord), to_csv([new_row(world, frequence="de temps en temps")])).context["result"]
    assert not result.ok and "de temps en temps" in " ".join(message for _line, message in result.errors)
