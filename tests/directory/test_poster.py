"""Waiting-room posters: /territoires/<code>-<slug>/affiche/ and /communes/<insee>-<slug>/affiche/, HTML and PDF."""

import io

import pypdf
import pypdfium2
import pytest
import zxingcpp

from directory.models import Meeting
from tests.factories import METZ, NANCY, make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db

MOVEMENTS = ["alcooliques-anonymes", "al-anon-alateen", "amis-de-la-sante", "croix-bleue", "vie-libre"]


def pdf_text(content):
    reader = pypdf.PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def decoded_qr_codes(content):
    image = pypdfium2.PdfDocument(content)[0].render(scale=3).to_pil()
    return [barcode.text for barcode in zxingcpp.read_barcodes(image)]


@pytest.fixture
def crowded_moselle():
    """More meetings than a page holds, for five movements."""
    for slug in MOVEMENTS:
        group = make_group(slug, insee=METZ, name=f"Groupe {slug} Metz")
        for hour in range(12):
            make_meeting(group=group, weekday=hour % 7, start_time=f"{8 + hour}:00", end_time=f"{9 + hour}:00")


def test_the_moselle_poster_pdf_is_one_page_whose_qr_code_decodes_to_the_live_list(client, settings, crowded_moselle):
    settings.SITE_URL = "https://entraide.example.org"

    response = client.get("/territoires/57-moselle/affiche.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages, text = pdf_text(response.content)
    assert pages == 1
    assert "Alcooliques Anonymes : 12 réunions" in text
    assert decoded_qr_codes(response.content) == ["https://entraide.example.org/reunions/?departement=57"]
    live = client.get("/reunions/?departement=57")
    assert live.context["page"].paginator.count == 60


def test_the_html_poster_lists_movements_their_schedules_the_helplines_and_the_date(client):
    make_meeting(
        group=make_group("vie-libre", insee=METZ, name="Vie Libre Metz"),
        venue=make_venue(insee=METZ, name="Salle Saint-Maximin", address="4 rue Mazelle"),
        frequency=Meeting.Frequency.MONTHLY,
        positions="-1",
        weekday=Meeting.Weekday.SATURDAY,
    )
    make_meeting(group=make_group("croix-bleue", insee=NANCY))  # another département

    response = client.get("/territoires/57-moselle/affiche/")

    assert response.status_code == 200
    page = response.content.decode()
    assert [block.movement.name for block in response.context["blocks"]] == ["Vie Libre"]
    assert "Dernier samedi du mois, de 20:00 à 22:00" in page
    assert "Salle Saint-Maximin, 4 rue Mazelle, 57000 Metz" in page
    assert "Alcool Info Service" in page
    assert "Liste mise à jour le" in page
    assert "<title>http://localhost:8000/reunions/?departement=57</title>" in page
    assert "Signaler une erreur" not in page


def test_a_crowded_poster_sends_readers_to_the_live_list_for_the_rest(client, crowded_moselle):
    response = client.get("/territoires/57-moselle/affiche/")
    blocks = response.context["blocks"]
    assert sum(len(block.visible) for block in blocks) <= 36
    assert sum(block.count for block in blocks) == 60
    assert "autres : voir la liste en ligne" in response.content.decode()


@pytest.mark.parametrize("suffix", ["affiche/", "affiche.pdf"])
def test_an_empty_poster_says_so_and_still_lists_the_helplines(client, suffix):
    response = client.get(f"/territoires/55-meuse/{suffix}?mouvement=vie-libre")
    assert response.status_code == 200
    text = pdf_text(response.content)[1] if suffix.endswith("pdf") else response.content.decode()
    assert "Aucune réunion publiée pour cette sélection" in text
    assert "Alcool Info Service" in text
    assert "Joueurs Info Service" in text


def test_the_commune_poster_takes_the_radius_and_the_finders_criteria(client):
    make_meeting(group=make_group("vie-libre", insee=METZ, name="Vie Libre Metz"), audience="entourage")
    make_meeting(group=make_group("croix-bleue", insee=METZ, name="Croix-Bleue Metz"), audience="concernes")

    response = client.get("/communes/57463-metz/affiche/?rayon=10&public=entourage")

    assert response.status_code == 200
    assert [block.movement.name for block in response.context["blocks"]] == ["Vie Libre"]
    assert (
        response.context["poster"].live_url
        == "http://localhost:8000/reunions/?commune=57463&rayon=10&public=entourage"
    )
    pages, _ = pdf_text(client.get("/communes/57463-metz/affiche.pdf?rayon=10").content)
    assert pages == 1


@pytest.mark.parametrize(
    "url, field",
    [
        ("/territoires/57-moselle/affiche/?public=voisins", "public"),
        ("/territoires/57-moselle/affiche.pdf?mouvement=inconnu", "mouvement"),
        ("/communes/57463-metz/affiche/?rayon=beaucoup", "rayon"),
        ("/communes/57463-metz/affiche.pdf?jour=jeudredi", "jour"),
    ],
)
def test_a_bad_value_is_a_400_naming_the_field(client, url, field):
    response = client.get(url)
    assert response.status_code == 400
    assert f"({field})" in response.content.decode()


def test_the_territory_in_the_path_wins_over_one_in_the_query(client):
    make_meeting(group=make_group("vie-libre", insee=NANCY))
    response = client.get("/territoires/57-moselle/affiche/?departement=54&commune=nancy")
    assert response.context["blocks"] == []


def test_an_old_slug_redirects_to_the_poster_with_its_query(client):
    response = client.get("/territoires/57-mosel/affiche.pdf?public=entourage")
    assert response.status_code == 301
    assert response["Location"] == "/territoires/57-moselle/affiche.pdf?public=entourage"


def test_the_commune_page_links_to_its_poster_print_and_exports(client):
    page = client.get("/communes/57463-metz/").content.decode()
    assert 'href="/communes/57463-metz/affiche/"' in page
    assert 'href="/communes/57463-metz/affiche.pdf"' in page
    assert 'href="/reunions/imprimer/?commune=57463"' in page
    assert 'href="/reunions/export.csv?commune=57463"' in page
    assert client.get("/communes/57463-metz/affiche/").status_code == 200
