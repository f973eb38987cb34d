"""The trash ("Corbeille") costs the same few queries whatever it holds."""

import pytest

from directory.models import Group, Meeting
from tests import factories as f

pytestmark = pytest.mark.django_db

# Session, user, second factor, rights, the menu's report count, the deleted rows, and one query per
# foreign key of theirs (groups, deleted groups' last versions, venues): none per row.
TRASH_QUERIES = 13


def fill_trash(world, count):
    """`count` deleted meetings of Vie Libre: half in a group that still exists, half in one deleted with them."""
    gone = f.make_group("vie-libre", name="Vie Libre Toul")
    for number in range(count):
        group = world.vl_group if number % 2 else gone
        f.make_meeting(group=group, name=f"Réunion supprimée {number}").delete()
    gone.delete()
    # Another movement's deleted meetings are in the same table, and never shown to her.
    f.make_meeting(group=world.cb_group, name="Réunion CB supprimée").delete()


@pytest.mark.parametrize("count", [5, 50])
def test_the_trash_costs_the_same_queries_for_5_or_50_deleted_meetings(
    as_user, world, count, django_assert_max_num_queries
):
    fill_trash(world, count)
    client = as_user(world.vl_coord)
    with django_assert_max_num_queries(TRASH_QUERIES):
        response = client.get("/admin/directory/meeting/corbeille/")
    assert response.status_code == 200
    names = [record.name for record, _ in response.context["records"]]
    assert len(names) == count and "Réunion CB supprimée" not in names
    page = response.content.decode()
    assert "Réunion supprimée 0 – " in page and "Réunion supprimée 1 – " in page
    assert page.count('type="submit" class="button">Restaurer') == count


def test_a_deleted_meeting_whose_group_is_gone_is_named_and_kept_in_its_movement(as_user, world):
    fill_trash(world, 2)
    assert not Group.objects.filter(name="Vie Libre Toul").exists()
    assert not Meeting.objects.filter(name__startswith="Réunion supprimée").exists()
    page = as_user(world.cb_coord).get("/admin/directory/meeting/corbeille/").content.decode()
    assert "Réunion CB supprimée" in page and "Réunion supprimée" not in page
