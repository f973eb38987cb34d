"""/reunions/imprimer/: every result of the finder's search, on paper."""

from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Meeting
from tests.factories import METZ, NANCY, make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db


def printed(client, query=""):
    response = client.get("/reunions/imprimer/?" + query)
    assert response.status_code == 200, response.content.decode()[:500]
    return response


def test_it_prints_every_result_of_the_search_without_pagination(client):
    group = make_group("vie-libre", insee=NANCY)
    for number in range(25):
        make_meeting(group=group, venue=make_venue(insee=NANCY, address=f"{number + 1} rue de l'Imprimé"))
    make_meeting(group=make_group("vie-libre", insee=METZ))  # outside the search

    response = printed(client, "commune=nancy&rayon=5")

    assert len(response.context["meetings"]) == 25
    page = " ".join(response.content.decode().split())
    for number in range(25):
        assert f"{number + 1} rue de l&#x27;Imprimé, 54000 Nancy" in page
    assert "25 réunions d'entraide à moins de 5 km de Nancy" in page


def test_it_shows_address_phone_time_range_and_recurrence_in_words(client):
    group = make_group("croix-bleue", insee=METZ, phone="03 87 00 00 00")
    make_meeting(
        group=group,
        venue=make_venue(insee=METZ, name="Centre social Borny", address="2 rue du Limousin"),
        frequency=Meeting.Frequency.MONTHLY,
        weekday=Meeting.Weekday.THURSDAY,
        positions="1,3",
        start_time=time(18, 30),
        end_time=time(20),
        status=Meeting.Status.SUSPENDED,
        suspended_until=date(2099, 9, 1),
    )

    page = printed(client, "departement=57").content.decode()

    assert "1er et 3e jeudis du mois, de 18:30 à 20:00" in page
    assert "Suspendue, reprise le 01/09/2099" in page
    assert "Centre social Borny, 2 rue du Limousin, 57000 Metz" in page
    assert "03 87 00 00 00" in page


def test_it_lists_online_meetings_after_the_territory_with_their_link(client):
    make_meeting(
        group=make_group("narcotiques-anonymes", insee=METZ),
        modality=Meeting.Modality.ONLINE,
        video_url="https://visio.example.org/na",
        phone="+33 1 23 45 67 89",
    )

    response = printed(client, "departement=54")

    assert len(response.context["online"]) == 1
    page = response.content.decode()
    assert "https://visio.example.org/na" in page
    assert "+33 1 23 45 67 89" in page


def test_it_states_the_criteria_the_date_and_the_source_url_with_its_qr_code(client, settings):
    settings.SITE_URL = "https://entraide.example.org"
    make_meeting(group=make_group("vie-libre", insee=NANCY), weekday=Meeting.Weekday.TUESDAY)

    page = printed(client, "jour=mardi&departement=54&page=2").content.decode()

    assert "Jour : mardi" in page
    assert "Liste imprimée le" in page
    source = "https://entraide.example.org/reunions/?jour=mardi&amp;departement=54"
    assert f'<span class="url">{source}</span>' in page
    assert '<svg viewBox="0 0' in page and f"<title>{source}</title>" in page


def test_it_prints_without_navigation_or_report_link(client):
    make_meeting()
    page = printed(client).content.decode()
    assert "Navigation principale" not in page
    assert "Signaler une erreur" not in page
    assert "Alcool Info Service" in page


def test_it_marks_demonstration_meetings(client):
    make_meeting(is_demo=True)
    assert 'class="badge-demo"' in printed(client).content.decode()


@pytest.mark.parametrize(
    "query, field",
    [("jour=jeudredi", "jour"), ("rayon=abc&commune=nancy", "rayon"), ("commune=Atlantide", "commune")],
)
def test_a_bad_value_is_a_400_naming_the_field(client, query, field):
    response = client.get("/reunions/imprimer/?" + query)
    assert response.status_code == 400
    assert f"({field})" in response.content.decode()


def test_it_runs_a_constant_number_of_queries(client):
    def queries_for(count):
        for _ in range(count):
            make_meeting(group=make_group("vie-libre", insee=NANCY, phone="03 83 00 00 00"))
        with CaptureQueriesContext(connection) as captured:
            printed(client, "departement=54")
        return len(captured)

    assert queries_for(2) == queries_for(10)


def test_the_finder_leads_to_the_print_page_of_the_same_search(client):
    make_meeting()
    page = client.get("/reunions/?jour=mardi&page=1").content.decode()
    assert 'href="/reunions/imprimer/?jour=mardi"' in page
