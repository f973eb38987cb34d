"""A département page for professionals: the finder's filters there, its counts and its links."""

import pytest

from directory.models import Meeting
from tests.factories import METZ, NANCY, make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db

THIONVILLE = "57672"


def listed(client, query=""):
    response = client.get("/territoires/57-moselle/?" + query)
    assert response.status_code == 200, response.content.decode()[:500]
    listing = response.context["listing"]
    shown = {meeting.pk for meeting in listing.next_meetings} | {meeting.pk for meeting in listing.online_preview}
    assert len(shown) == listing.count, "the few meetings of these tests are all shown"
    return shown


@pytest.fixture
def moselle():
    aa = make_group("alcooliques-anonymes", insee=METZ, name="Groupe AA Metz Centre")
    al_anon = make_group("al-anon-alateen", insee=THIONVILLE, name="Al-Anon Thionville")
    vie_libre = make_group("vie-libre", insee=METZ, name="Vie Libre Metz")
    return {
        "aa_closed": make_meeting(group=aa, audience="concernes", type=Meeting.Type.SUPPORT_GROUP),
        "aa_information": make_meeting(group=aa, audience="tous", type=Meeting.Type.INFORMATION),
        "al_anon": make_meeting(group=al_anon, audience="entourage"),
        "vie_libre_hybrid": make_meeting(
            group=vie_libre, modality=Meeting.Modality.HYBRID, video_url="https://visio.example.org/vl"
        ),
        "nancy": make_meeting(group=make_group("vie-libre", insee=NANCY)),  # another département
    }


def ids(meetings, *names):
    return {meetings[name].pk for name in names}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["aa_closed", "aa_information", "al_anon", "vie_libre_hybrid"]),
        ("public=entourage", ["aa_information", "al_anon", "vie_libre_hybrid"]),
        ("public=concernes", ["aa_closed", "aa_information", "vie_libre_hybrid"]),
        ("mouvement=alcooliques-anonymes", ["aa_closed", "aa_information"]),
        ("mouvement=alcooliques-anonymes&mouvement=vie-libre", ["aa_closed", "aa_information", "vie_libre_hybrid"]),
        ("type=reunion-information", ["aa_information"]),
        ("modalite=hybride", ["vie_libre_hybrid"]),
        ("addiction=drogues", []),
    ],
)
def test_each_filter_narrows_the_departments_meetings(client, moselle, query, expected):
    assert listed(client, query) == ids(moselle, *expected)


def test_an_addiction_keeps_the_movements_that_address_it(client, moselle):
    assert ids(moselle, "aa_closed", "al_anon") <= listed(client, "addiction=alcool")


def test_online_meetings_of_other_departements_are_listed_apart(client, moselle):
    online = make_meeting(
        group=make_group("narcotiques-anonymes", insee=NANCY, name="NA en visio"),
        modality=Meeting.Modality.ONLINE,
        name="NA en ligne",
        phone="01 99 00 00 01",
    )
    response = client.get("/territoires/57-moselle/")
    assert [meeting.pk for meeting in response.context["listing"].online_preview] == [online.pk]
    assert "NA en visio" in response.content.decode()


@pytest.mark.parametrize(
    "query, field",
    [
        ("public=voisins", "public"),
        ("addiction=chocolat", "addiction"),
        ("mouvement=inconnu", "mouvement"),
        ("type=apero", "type"),
        ("modalite=telepathie", "modalite"),
    ],
)
def test_a_bad_value_is_a_400_with_the_field_in_error(client, moselle, query, field):
    response = client.get("/territoires/57-moselle/?" + query)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert f'href="#id_{field}"' in response.content.decode()


def test_other_finder_parameters_do_not_change_the_department(client, moselle):
    assert listed(client, "departement=54&commune=nancy&jour=lundi") == listed(client, "")


def test_counts_per_movement_are_those_of_the_list(client, moselle):
    make_meeting(
        group=make_group("narcotiques-anonymes", insee=NANCY), modality=Meeting.Modality.ONLINE, phone="01 99 00 00 01"
    )
    response = client.get("/territoires/57-moselle/?public=entourage")
    counts = {movement.slug: (here, online) for movement, here, online in response.context["listing"].movement_counts}
    assert counts == {
        "alcooliques-anonymes": (1, 0),
        "al-anon-alateen": (1, 0),
        "vie-libre": (1, 0),
        "narcotiques-anonymes": (0, 1),
    }
    assert "Cette sélection : 4 réunions." in response.content.decode()


def test_groups_without_a_public_meeting_are_offered_to_call_unless_filtering(client, moselle):
    make_group("croix-bleue", insee=METZ, name="Croix-Bleue Metz", phone="03 87 11 22 33")
    assert "Croix-Bleue Metz" in client.get("/territoires/57-moselle/").content.decode()
    assert "Croix-Bleue Metz" not in client.get("/territoires/57-moselle/?public=entourage").content.decode()


def test_it_links_to_print_poster_csv_and_calendar_of_the_same_selection(client, moselle):
    page = client.get("/territoires/57-moselle/?public=entourage&mouvement=vie-libre").content.decode()
    query = "departement=57&amp;public=entourage&amp;mouvement=vie-libre"
    assert f'href="/reunions/imprimer/?{query}"' in page
    assert f'href="/reunions/export.csv?{query}"' in page
    assert f'href="/reunions/agenda.ics?{query}"' in page
    assert f'href="webcal://localhost:8000/reunions/agenda.ics?{query}"' in page
    assert 'href="/territoires/57-moselle/affiche/?public=entourage&amp;mouvement=vie-libre"' in page
    assert 'href="/territoires/57-moselle/affiche.pdf?public=entourage&amp;mouvement=vie-libre"' in page


def test_the_csv_count_beside_the_links_is_the_files(client, moselle):
    make_meeting(group=make_group("vie-libre", insee=METZ, is_demo=True), venue=make_venue(insee=METZ))
    page = client.get("/territoires/57-moselle/").content.decode()
    csv = client.get("/reunions/export.csv?departement=57")
    rows = b"".join(csv.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(rows) - 1 == 4
    assert "contiennent 4 réunions." in page
    assert "Ils laissent de côté 1 réunion de démonstration" in page
