"""A spreadsheet in our CSV columns, kept elsewhere, imported as a source (parsed by directory.meeting_csv)."""

import io
from datetime import time

import pytest
from django.core.management import CommandError, call_command

from directory.models import ImportedRecord, Meeting

pytestmark = pytest.mark.django_db
HEADER = (
    "groupe_id;groupe;intitule;type;public;frequence;intervalle;jour;positions;premiere_date;heure_debut;heure_fin;"
    "statut;modalite;lieu;adresse;code_postal;code_insee;commune;lien_visio;telephone;langues;informations;publie\n"
)
ROWS = [
    ";Vie Libre Reims;;groupe-de-parole;tous;weekly;1;mardi;;;20:00;22:00;active;presentiel;"
    "Maison de quartier;12 rue Ponsardin;51100;;Reims;;;fr;Au fond de la cour.;oui\n",
    ";Vie Libre Reims;Permanence;permanence;tous;monthly;1;jeudi;1,3;;14:00;16:00;active;presentiel;"
    "Maison de quartier;12 rue Ponsardin;51100;51454;;;;fr;;oui\n",
    ";Vie Libre en ligne;;groupe-de-parole;entourage;weekly;1;lundi;;;18:00;19:00;active;en-ligne;"
    ";;;;Épinal;https://meet.jit.si/vie-libre;;fr;;oui\n",
    ";Vie Libre Nulle Part;;groupe-de-parole;tous;weekly;1;lundi;;;18:00;19:00;active;presentiel;"
    "Salle;1 rue X;99999;;Atlantis;;;fr;;oui\n",
    ";Vie Libre Reims;;groupe-de-parole;tous;weekly;1;lundi;;;25:99;26:00;active;presentiel;"
    "Salle;1 rue X;51100;;Reims;;;fr;;oui\n",
]


def import_csv(tmp_path, rows, *args):
    path = tmp_path / "vie-libre.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    out = io.StringIO()
    call_command("import_meetings", "--format", "csv", "--movement", "vie-libre", *args, str(path), stdout=out)
    return out.getvalue()


def test_it_imports_weekly_monthly_and_online_rows(tmp_path):
    import_csv(tmp_path, ROWS[:3])

    meetings = Meeting.objects.filter(group__movement__slug="vie-libre").order_by("start_time")
    assert [m.start_time for m in meetings] == [time(14, 0), time(18, 0), time(20, 0)]
    monthly, online, weekly = meetings
    assert (monthly.frequency, monthly.positions) == ("monthly", "1,3")
    assert online.modality == "en-ligne" and online.venue is None and online.group.commune_id == "88160"
    assert weekly.venue.commune_id == "51454" and weekly.notes == "Au fond de la cour."
    assert weekly.venue == monthly.venue


def test_bad_rows_are_rejected_and_the_others_import(tmp_path):
    output = import_csv(tmp_path, ROWS)

    assert "rejetée : ligne 5 : Commune introuvable en Grand Est : « 99999 Atlantis »" in output
    assert "rejetée : ligne 6 : Heure de début invalide : « 25:99 »" in output
    assert ImportedRecord.objects.count() == 3


def test_a_file_without_our_columns_imports_nothing(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("nom;jour\nA;lundi\n")

    with pytest.raises(CommandError, match="Colonnes manquantes"):
        call_command("import_meetings", "--format", "csv", "--movement", "vie-libre", str(path))
    assert not ImportedRecord.objects.exists()


def test_an_unknown_movement_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Mouvement inconnu"):
        import_csv(tmp_path, ROWS[:1], "--movement", "inconnu")
