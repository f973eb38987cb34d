"""CSV export and import of meetings in the admin."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from directory.csv_format import ADMIN_COLUMNS
from directory.models import Meeting, Venue
from tests.factories import make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db

IMPORT = "/admin/directory/meeting/import/"
EXPORT = "/admin/directory/meeting/export/"


def export(client):
    response = client.get(EXPORT)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return response.content.decode("utf-8")


def rows_of(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def to_csv(rows, delimiter=";", columns=tuple(column.header for column in ADMIN_COLUMNS)):
    stream = io.StringIO()
    writer = csv.DictWriter(stream, fieldnames=columns, delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return stream.getvalue()


def upload(client, content, name="reunions.csv"):
    data = content.encode("utf-8") if isinstance(content, str) else content
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


def confirm(client, preview):
    return client.post(IMPORT, {"confirm": preview.context["token"]})


def new_row(world, **values):
    row = {
        "groupe_id": str(world.vl_group.pk),
        "type": "groupe-de-parole",
        "public": "tous",
        "frequence": "monthly",
        "intervalle": "1",
        "jour": "jeudi",
        "positions": "1,3",
        "premiere_date": "2026-01-01",
        "heure_debut": "18:30",
        "heure_fin": "20:00",
        "statut": "active",
        "modalite": "presentiel",
        "lieu": "Maison des associations",
        "adresse": "2 rue Saint-Dizier",
        "code_postal": "54000",
        "code_insee": "54395",
        "langues": "fr",
        "publie": "oui",
    }
    row.update(values)
    return row


def test_export_contains_only_own_meetings(as_user, world):
    rows = rows_of(export(as_user(world.vl_coord)))
    assert [row["id"] for row in rows] == [str(world.vl_meeting.pk)]
    assert rows[0]["jour"] == "mardi" and rows[0]["heure_debut"] == "20:00" and rows[0]["publie"] == "oui"


def test_import_round_trips_the_export(as_user, world):
    client = as_user(world.vl_coord)
    make_meeting(
        group=world.vl_group,
        frequency="monthly",
        positions="-1",
        weekday=5,
        video_url="https://visio.example/x",
        modality="hybride",
    )
    before = export(client)
    preview = upload(client, before)
    assert preview.context["result"].ok, preview.context["result"].errors
    result = preview.context["result"]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    versions = Meeting.revisions.count()
    assert confirm(client, preview).status_code == 302
    assert export(client) == before
    assert Meeting.revisions.count() == versions  # nothing changed, nothing written


def test_a_changed_row_is_updated_and_the_others_left_alone(as_user, world):
    client = as_user(world.vl_coord)
    make_meeting(group=world.vl_group, weekday=4)
    text = export(client).replace("20:00;22:00", "20:30;22:00", 1)
    result = upload(client, text).context["result"]
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1), result.errors


def test_codes_that_lost_their_leading_zero_in_a_spreadsheet_still_match(as_user, world):
    client = as_user(world.vl_coord)
    sedan = make_group("vie-libre", insee="08409", name="Vie Libre Sedan")
    make_meeting(group=sedan, venue=make_venue(insee="08409", name="Salle de Sedan"))
    text = export(client)
    assert ";08409;" in text and ";08200;" in text
    result = upload(client, text.replace(";08409;", ";8409;").replace(";08200;", ";8200;")).context["result"]
    assert result.ok, result.errors


def test_a_cell_too_long_for_the_csv_reader_is_a_clear_error(as_user, world):
    client = as_user(world.vl_coord)
    text = export(client)
    header, first = text.splitlines()[:2]
    cells = first.split(";")
    cells[-1] = "x" * 200_000
    response = upload(client, header + "\n" + ";".join(cells) + "\n")
    assert response.status_code == 200
    assert "illisible" in response.content.decode()


def test_quotes_and_line_breaks_survive_export_import_export(as_user, world):
    client = as_user(world.vl_coord)
    Meeting.objects.filter(pk=world.vl_meeting.pk).update(notes='Sonnez à la porte "Entraide"\n2e étage, "bureau 3"')
    Venue.objects.filter(pk=world.vl_meeting.venue_id).update(address="Centre social\n12 rue des Tiercelins")
    before = export(client)
    for _round in range(2):
        preview = upload(client, export(client))
        assert preview.context["result"].ok, preview.context["result"].errors
        assert confirm(client, preview).status_code == 302
    assert export(client) == before
    assert Meeting.objects.get(pk=world.vl_meeting.pk).notes == 'Sonnez à la porte "Entraide"\n2e étage, "bureau 3"'


def test_export_neutralises_formulas_and_import_restores_them(as_user, world):
    client = as_user(world.vl_coord)
    notes = '=HYPERLINK("http://evil.example","x")'
    Meeting.objects.filter(pk=world.vl_meeting.pk).update(notes=notes, name="+A1+B1", phone="+33 3 83 00 00 00")
    Venue.objects.filter(pk=world.vl_meeting.venue_id).update(name="'@Salle")
    before = export(client)
    row = rows_of(before)[0]
    assert row["informations"] == "'" + notes and row["intitule"] == "'+A1+B1"
    assert row["telephone"] == "+33 3 83 00 00 00"
    assert row["lieu"] == "''@Salle"  # a text that already starts with the guard keeps it
    preview = upload(client, before)
    assert preview.context["result"].ok, preview.context["result"].errors
    assert confirm(client, preview).status_code == 302
    assert Meeting.objects.get(pk=world.vl_meeting.pk).notes == notes
    assert export(client) == before


def test_dry_run_writes_nothing_and_confirm_creates(as_user, world):
    client = as_user(world.vl_coord)
    preview = upload(client, to_csv([new_row(world)]))
    result = preview.context["result"]
    assert result.ok and result.created == 1 and result.venues_created == 1
    assert "Confirmer l'import" in preview.content.decode()
    assert not Meeting.objects.filter(weekday=3).exists()
    assert not Venue.objects.filter(name="Maison des associations").exists()
    response = confirm(client, preview)
    assert response.status_code == 302
    meeting = Meeting.objects.get(weekday=3)
    assert meeting.positions == "1,3" and meeting.venue.name == "Maison des associations" and meeting.published
    assert meeting.revisions.latest().history_user == world.vl_coord


def test_each_bad_row_is_reported_with_its_line_and_nothing_is_written(as_user, world):
    client = as_user(world.vl_coord)
    rows = [
        new_row(world),  # line 2: valid
        new_row(world, code_insee="99999"),  # 3
        new_row(world, heure_debut="25:00", jour="mercredi"),  # 4
        new_row(world, frequence="monthly", positions="", jour="vendredi"),  # 5
        new_row(world),  # 6: duplicate of line 2
        new_row(world, groupe_id=str(world.cb_group.pk), jour="lundi"),  # 7
        new_row(world, heure_debut="21:00", heure_fin="20:00", jour="samedi"),  # 8
        new_row(world, id=str(world.cb_meeting.pk), jour="dimanche"),  # 9
        new_row(world, modalite="en-ligne", lieu="", jour="dimanche", heure_debut="10:00", heure_fin="11:00"),  # 10
    ]
    response = upload(client, to_csv(rows))
    errors = response.context["result"].errors
    by_line = {}
    for line, message in errors:
        by_line.setdefault(line, []).append(message)
    assert set(by_line) == {3, 4, 5, 6, 7, 8, 9, 10}
    assert "commune inconnue" in by_line[3][0]
    assert any("heure_debut" in m for m in by_line[4])
    assert any("positions" in m for m in by_line[5])
    assert "doublon de la ligne 2" in by_line[6][0]
    assert any("autre mouvement" in m for m in by_line[7])
    assert any("après l'heure de début" in m for m in by_line[8])
    assert "autre mouvement" in by_line[9][0]
    assert any("lien de visioconférence" in m for m in by_line[10])
    html = response.content.decode()
    assert "rien n'a été enregistré" in html and "Confirmer l'import" not in html
    assert Meeting.objects.count() == 2
    assert not Venue.objects.filter(name="Maison des associations").exists()


def test_comma_separated_file_with_bom_is_accepted(as_user, world):
    client = as_user(world.vl_coord)
    preview = upload(client, "\ufeff" + to_csv([new_row(world)], delimiter=","))
    assert preview.context["result"].ok


def test_existing_meeting_without_id_is_reported_as_already_there(as_user, world):
    client = as_user(world.vl_coord)
    row = rows_of(export(client))[0]
    row["id"] = ""
    errors = upload(client, to_csv([row])).context["result"].errors
    assert errors == [(2, f"cette réunion existe déjà (n°{world.vl_meeting.pk}) : indiquez son id pour la modifier.")]


def test_import_and_admin_share_one_duplicate_rule(as_user, world):
    client = as_user(world.vl_coord)
    row = rows_of(export(client))[0]
    # The same group and schedule in another place is another meeting, as in the admin.
    other_place = {**row, "id": "", "lieu": "Maison des associations", "adresse": "2 rue Saint-Dizier"}
    every_other_week = {**row, "id": "", "intervalle": "2"}
    preview = upload(client, to_csv([other_place, every_other_week]))
    assert preview.context["result"].ok, preview.context["result"].errors
    assert preview.context["result"].created == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "est vide"),  # Django's own message: "Le fichier soumis est vide."
        (b"\n \n", "Le fichier est vide."),
        (b"id;groupe\n1;x\n", "Colonnes manquantes"),
        ("caf\xe9;th\xe9\n".encode("latin-1"), "n'est pas encodé en UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "n'est pas un fichier CSV"),
        (b"juste du texte sans separateur\n", "n'est pas un CSV lisible"),
        (b"x" * (5 * 1024 * 1024 + 1), "dépasse 5 Mo"),
    ],
    ids=["empty", "blank", "missing-columns", "not-utf8", "binary", "no-delimiter", "too-big"],
)
def test_bad_files_are_refused_with_a_clear_message(as_user, world, content, message):
    response = upload(as_user(world.vl_coord), content)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert "result" not in response.context or response.context["result"] is None
    assert Meeting.objects.count() == 2


def test_header_only_file_is_refused(as_user, world):
    response = upload(as_user(world.vl_coord), to_csv([]))
    assert "aucune réunion" in " ".join(response.context["form"].errors["file"])


def test_observers_and_outsiders_cannot_import(as_user, world):
    assert as_user(world.observer).get(IMPORT).status_code == 403
    from tests.factories import make_user

    assert as_user(make_user()).get(EXPORT).status_code == 403


def test_confirm_token_must_match_the_previewed_file(as_user, world):
    client = as_user(world.vl_coord)
    upload(client, to_csv([new_row(world)]))
    response = client.post(IMPORT, {"confirm": "forged"})
    assert response.status_code == 302
    assert not Meeting.objects.filter(weekday=3).exists()


def test_a_new_address_for_an_existing_venue_is_reported_not_dropped(as_user, world):
    client = as_user(world.vl_coord)
    text = export(client)
    address = Venue.objects.get(pk=world.vl_meeting.venue_id).address
    result = upload(client, text.replace(address, "99 rue Autre")).context["result"]
    assert not result.ok
    assert any("existe déjà à une autre adresse" in message for _line, message in result.errors)
