"""The admin's CSV export follows the changelist it is linked from, within the user's movements."""

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.csv_format import ADMIN_COLUMNS, PUBLIC_COLUMNS
from directory.models import Meeting, Movement
from tests.factories import make_group, make_meeting

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/directory/meeting/"
EXPORT = "/admin/directory/meeting/export/"


def exported_ids(client, query=""):
    response = client.get(EXPORT + query)
    assert response.status_code == 200, response.content[:300]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return {int(row["id"]) for row in csv.DictReader(io.StringIO(text[1:]), delimiter=";")}


def listed_ids(client, query=""):
    response = client.get(CHANGELIST + query)
    assert response.status_code == 200
    return set(response.context["cl"].queryset.values_list("pk", flat=True))


@pytest.fixture
def more(world):
    """Besides the world's two active meetings: a suspended and a closed Vie Libre meeting, a Croix-Bleue draft."""
    return {
        "vl_suspended": make_meeting(
            group=world.vl_group, weekday=4, status=Meeting.Status.SUSPENDED, suspended_until=date(2027, 1, 4)
        ),
        "vl_closed": make_meeting(group=world.vl_group, weekday=5, status=Meeting.Status.CLOSED),
        "cb_draft": make_meeting(group=world.cb_group, weekday=1, published=False),
    }


@pytest.mark.parametrize(
    "query",
    [
        "?group__movement__id__exact={vl}&status__exact=active",
        "?status__exact=suspended",
        "?published__exact=0",
        "?q=Metz",
        "?q=Nancy&status__exact=closed",
        "?group__movement__id__exact={cb}&o=2&p=1",
    ],
)
def test_the_export_lists_exactly_the_rows_of_the_filtered_changelist(as_user, world, more, query):
    client = as_user(world.admin)
    query = query.format(vl=world.vl.pk, cb=world.cb.pk)
    ids = exported_ids(client, query)
    assert ids, f"the fixture has matches for {query}"
    assert ids == listed_ids(client, query)
    assert ids != exported_ids(client), "the filter narrowed the export"


def test_the_movement_and_status_filters_of_the_issue(as_user, world, more):
    query = f"?group__movement__id__exact={world.vl.pk}&status__exact=active"
    assert exported_ids(as_user(world.admin), query) == {world.vl_meeting.pk}


def test_the_changelist_export_link_carries_its_filters(as_user, world, more):
    response = as_user(world.admin).get(CHANGELIST + "?status__exact=suspended")
    assert f'href="{EXPORT}?status__exact=suspended"' in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "?group__movement__id__exact={cb}",
        "?group__movement__id__exact={cb}&status__exact=active",
        "?group__id__exact={cb_group}",
        "?id__in={cb_meeting},{cb_draft}",
        "?q=Croix-Bleue",
        "?all=1&e=1&_facets=1",
    ],
)
def test_a_coordinator_cannot_export_another_movements_rows_through_parameters(as_user, world, more, query):
    client = as_user(world.vl_coord)
    own = {world.vl_meeting.pk, more["vl_suspended"].pk, more["vl_closed"].pk}
    assert exported_ids(client) == own
    query = query.format(
        cb=world.cb.pk, cb_group=world.cb_group.pk, cb_meeting=world.cb_meeting.pk, cb_draft=more["cb_draft"].pk
    )
    ids = exported_ids(client, query)
    # A filter on a movement the user cannot see is not offered, and Django then ignores it:
    # the export shows what the changelist shows, never more than the user's own rows.
    assert ids <= own
    assert ids == listed_ids(client, query)


def test_a_lookup_the_admin_does_not_allow_is_refused(as_user, world):
    response = as_user(world.vl_coord).get(EXPORT + "?group__movement__memberships__user__password__startswith=p")
    assert response.status_code == 400


def test_a_malformed_filter_value_is_a_400_in_french(as_user, world):
    response = as_user(world.vl_coord).get(EXPORT + "?id__exact=abc")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("Filtre invalide")


def test_the_admin_export_query_count_does_not_grow_with_rows(as_user, world, django_assert_max_num_queries):
    client = as_user(world.admin)
    with CaptureQueriesContext(connection) as few:
        exported_ids(client)
    for index in range(20):
        make_meeting(group=make_group(["vie-libre", "croix-bleue"][index % 2]), weekday=index % 7)
    with django_assert_max_num_queries(len(few)):
        assert len(exported_ids(client)) == 22


def test_columns_in_both_files_are_written_the_same_way(as_user, world, client):
    """One definition per column: the public and the admin file agree on every column they share."""
    public = csv.DictReader(io.StringIO(client.get("/reunions/export.csv").getvalue().decode()[1:]), delimiter=";")
    public_row = next(row for row in public if row["id"] == str(world.vl_meeting.pk))
    admin_rows = csv.DictReader(io.StringIO(as_user(world.admin).get(EXPORT).content.decode()[1:]), delimiter=";")
    admin_row = next(row for row in admin_rows if row["id"] == str(world.vl_meeting.pk))
    shared = {c.header for c in PUBLIC_COLUMNS} & {c.header for c in ADMIN_COLUMNS}
    assert {"jour", "heure_debut", "lieu", "code_insee", "verifie_le"} <= shared
    assert {name: public_row[name] for name in shared} == {name: admin_row[name] for name in shared}


def test_the_movement_admin_lists_every_activity_field(as_user, world):
    response = as_user(world.admin).get(f"/admin/directory/movement/{world.vl.pk}/change/")
    fields = set(response.context["adminform"].form.fields)
    assert set(Movement.ACTIVITY_FIELDS) <= fields
    flags = [f.name for f in Movement._meta.get_fields() if f.name.startswith("offers_")]
    assert flags == Movement.ACTIVITY_FIELDS
