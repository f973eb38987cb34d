"""What an export holds, said next to it: on the finder, the département pages and /donnees/."""

import pytest

from directory.models import Meeting
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


def test_open_data_explains_an_export_left_empty_by_demonstration_data(client):
    make_meeting(is_demo=True)
    page = client.get("/donnees/").content.decode()
    assert "Les exports contiennent aujourd'hui 0 réunions." in page
    assert "Ils laissent de côté 1 réunion de démonstration" in page
    assert "ne contient que sa ligne d" in page
    rows = b"".join(client.get("/reunions/export.csv").streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 1  # the header, as the page says


def test_open_data_counts_the_meetings_the_exports_hold(client):
    make_meeting()
    make_meeting()
    page = client.get("/donnees/").content.decode()
    assert "contiennent aujourd'hui 2 réunions." in page
    assert "démonstration (marqu" not in page
    assert "ne contient que sa ligne" not in page


def test_the_finder_explains_what_its_exports_hold_and_offers_a_subscription(client):
    make_meeting(is_demo=True)
    make_meeting(weekday=Meeting.Weekday.FRIDAY)
    page = client.get("/reunions/?jour=mardi").content.decode()
    assert "contiennent 0 réunions." in page
    assert "Ils laissent de côté 1 réunion de démonstration" in page
    assert 'href="webcal://localhost:8000/reunions/agenda.ics?jour=mardi"' in page
    assert "Google Agenda" in page and "Outlook" in page
