import pytest

from directory.models import Meeting
from tests.factories import EPINAL, METZ, make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db


def test_home_lists_the_six_movements_and_the_ten_departments(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for name in ["Alcooliques Anonymes", "Al-Anon", "Amis de la Santé", "Croix-Bleue", "Narcotiques Anonymes"]:
        assert name in html
    for path in ["/territoires/08-ardennes/", "/territoires/54-meurthe-et-moselle/", "/territoires/88-vosges/"]:
        assert path in html
    assert "Besoin d'aide maintenant ?" in html
    assert "0 980 980 930" in html


def test_movement_list_and_fiche(client):
    assert "Croix-Bleue" in client.get("/mouvements/").content.decode()
    response = client.get("/mouvements/croix-bleue/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Reconnu d'utilité publique" in html and "1922" in html
    assert "Sources" in html


def test_fiche_summarises_groups_by_department_with_demo_badge(client):
    make_meeting(group=make_group("croix-bleue", insee=METZ, name="Croix-Bleue Metz", is_demo=True))
    html = client.get("/mouvements/croix-bleue/").content.decode()
    assert "Moselle (57)" in html and "dont 1 exemple" in html
    assert '<a href="/reunions/?mouvement=croix-bleue&amp;departement=57">1 réunion</a>' in html


def test_unknown_or_draft_movement_is_not_found(client, django_user_model):
    from directory.models import Movement

    Movement.objects.filter(slug="vie-libre").update(published=False)
    assert client.get("/mouvements/vie-libre/").status_code == 404
    assert client.get("/mouvements/inconnu/").status_code == 404


def test_department_page_shows_communes_that_have_groups(client):
    group = make_group("vie-libre", insee=METZ, name="Vie Libre – section de Metz")
    make_meeting(group=group)
    make_group("vie-libre", insee=METZ, name="Groupe en brouillon", published=False)
    response = client.get("/territoires/57-moselle/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Metz" in html and "Vie Libre – section de Metz" in html and "chaque mardi" in html.lower()
    assert "Groupe en brouillon" not in html
    assert "Thionville" not in html  # no group there


def test_department_page_redirects_a_wrong_slug_and_rejects_unknown_codes(client):
    response = client.get("/territoires/57-mozelle/")
    assert response.status_code == 301 and response["Location"] == "/territoires/57-moselle/"
    assert client.get("/territoires/75-paris/").status_code == 404
    assert client.get("/territoires/54-meurthe-et-moselle/").status_code == 200


def test_department_list_counts_groups_and_meetings(client):
    make_meeting(group=make_group(insee=EPINAL))
    response = client.get("/territoires/")
    assert response.status_code == 200
    assert "88 – Vosges" in response.content.decode()
    vosges = next(d for d in response.context["departments"] if d.code == "88")
    assert (vosges.group_count, vosges.meeting_count) >= (1, 1)


def test_commune_page_shows_its_meetings_and_the_nearest_ones(client):
    epinal_meeting = make_meeting(group=make_group(insee=EPINAL, name="Groupe d'Épinal"))
    make_meeting(group=make_group(insee=METZ, name="Groupe de Metz"))
    response = client.get("/communes/88160-epinal/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Épinal" in html and epinal_meeting.get_absolute_url() in html
    assert "Groupe de Metz" not in html  # about 110 km away


def test_commune_page_redirects_a_wrong_slug(client):
    response = client.get("/communes/88160-epinale/")
    assert response.status_code == 301 and response["Location"] == "/communes/88160-epinal/"
    assert client.get("/communes/99999-nulle-part/").status_code == 404


def test_group_page_shows_contacts_and_meetings_but_not_drafts(client):
    group = make_group(phone="03 99 00 12 34", name="Groupe avec contact")
    make_meeting(group=group, weekday=Meeting.Weekday.FRIDAY)
    make_meeting(group=group, weekday=Meeting.Weekday.MONDAY, published=False)
    html = client.get(group.get_absolute_url()).content.decode()
    assert "03 99 00 12 34" in html and "chaque vendredi" in html.lower() and "chaque lundi" not in html.lower()
    assert client.get(make_group(published=False).get_absolute_url()).status_code == 404


def test_meeting_page_shows_the_next_dates_place_and_demo_notice(client):
    meeting = make_meeting(venue=make_venue(name="Salle des fêtes"), is_demo=True)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Salle des fêtes" in html and "Prochaines dates" in html and "exemple de démonstration" in html
    assert len(response.context["next_dates"]) == 5
    draft = make_meeting(published=False)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_pages_escape_what_coordinators_type(client):
    group = make_group(name="<script>alert(1)</script>")
    html = client.get(group.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "url, queries",
    # The département page adds its filters' choices, per-movement and per-commune counts, and
    # the next meetings here and online: more queries, but as many for 8 meetings as for 80.
    [("/", 8), ("/mouvements/", 8), ("/territoires/", 8), ("/territoires/57-moselle/", 16)],
)
@pytest.mark.parametrize("per_commune", [1, 10])
def test_listing_pages_use_a_constant_number_of_queries(
    client, django_assert_max_num_queries, url, queries, per_commune
):
    for insee in [METZ, "57672", "57227", EPINAL]:
        group = make_group(insee=insee)
        for index in range(per_commune):
            make_meeting(group=group, start_time=f"{8 + index}:00", end_time=f"{8 + index}:30")
            make_meeting(
                group=group, weekday=Meeting.Weekday.SUNDAY, start_time=f"{8 + index}:00", end_time=f"{8 + index}:30"
            )
    with django_assert_max_num_queries(queries):
        assert client.get(url).status_code == 200


def test_home_offers_a_search_form_for_oneself_or_a_relative(client):
    html = client.get("/").content.decode()
    assert 'action="/reunions/"' in html and 'name="commune"' in html
    assert 'value="entourage"' in html and "modalite=en-ligne" in html


def test_fiche_links_to_the_movements_meetings(client):
    html = client.get("/mouvements/vie-libre/").content.decode()
    assert 'id="contacts"' in html and "/reunions/?mouvement=vie-libre" in html


def test_pages_carry_a_print_stylesheet_and_printable_links(client):
    meeting = make_meeting()
    html = client.get("/reunions/?mouvement=vie-libre").content.decode()
    assert 'href="/static/css/print.css" media="print"' in html
    assert f'<p class="print-only">http://localhost:8000{meeting.get_absolute_url()}</p>' in html


def test_home_links_to_todays_meetings(client, time_machine):
    time_machine.move_to("2026-11-27 00:30 +01:00")  # Friday in Paris, still Thursday in UTC
    assert "/reunions/?jour=vendredi" in client.get("/").content.decode()


def test_counts_that_include_demo_groups_say_so(client):
    make_meeting(group=make_group(insee=EPINAL, is_demo=True), is_demo=True)
    for url in ["/", "/territoires/", "/mouvements/"]:
        html = client.get(url).content.decode()
        assert "dont 1 groupe exemple" in html or "dont 1 exemple<" in html, url


def test_a_closed_meetings_page_says_it_is_gone_and_offers_others(client):
    meeting = make_meeting(group=make_group(insee=METZ), status=Meeting.Status.CLOSED)
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    assert "Cette réunion n'a plus lieu" in html and "Itinéraire" not in html
    assert "/reunions/?commune=Metz%20%2857000%29" in html
