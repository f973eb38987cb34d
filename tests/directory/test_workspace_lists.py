"""The meetings list shows what matters: when, where, status, publication; phones get the filters first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_meeting

pytestmark = pytest.mark.django_db

LIST = "/admin/directory/meeting/"


def test_each_row_says_when_where_and_whether_it_is_published(as_user, world):
    page = as_user(world.vl_coord).get(LIST).content.decode()
    row = page.split('id="result_list"')[1]
    venue = world.vl_meeting.venue
    for text in ["chaque mardi, 20:00–22:00", venue.name, venue.commune.name, "Active", "icon-yes.svg"]:
        assert text in row, text


def test_the_list_costs_the_same_queries_for_more_meetings(as_user, world):
    client = as_user(world.vl_coord)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    before = queries()
    for hour in range(8, 13):
        make_meeting(group=world.vl_group, start_time=f"{hour}:00", end_time=f"{hour}:30")
    assert queries() == before


def test_phones_get_the_stacked_layout_and_folded_filters(as_user, world, client):
    page = as_user(world.vl_coord).get(LIST).content.decode()
    assert "css/admin_workspace.css" in page and "js/admin_workspace.js" in page
    # The files exist in the static folder served in production (checked by the browser suite too).
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/admin_workspace.css")).read_text(encoding="utf-8")
    assert "#changelist-filter { order: -1" in css and "#result_list thead { display: none; }" in css
