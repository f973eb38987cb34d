import pytest

from tests.factories import make_group, make_meeting

pytestmark = pytest.mark.django_db


def test_meeting_page_leads_back_to_its_movement_then_its_group(client):
    meeting = make_meeting()
    group = meeting.group

    html = client.get(meeting.get_absolute_url()).content.decode()

    trail = (
        f'<p class="breadcrumb"><a href="{group.movement.get_absolute_url()}">{group.movement.name}</a> › '
        f'<a href="{group.get_absolute_url()}">{group.name}</a> ›</p>'
    )
    assert trail in html


def test_department_page_leads_back_to_the_translated_territories_list(client):
    group = make_group()
    department = group.commune.department

    html = client.get(department.get_absolute_url()).content.decode()

    assert '<p class="breadcrumb"><a href="/territoires/">Territoires</a> ›</p>' in html
