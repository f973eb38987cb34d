"""Text search reads each meeting's stored words (Meeting.search_text), refreshed by a queryset and a command."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from directory.models import Meeting
from tests.factories import METZ, make_group, make_meeting

pytestmark = pytest.mark.django_db


def found(client, query):
    return {meeting.pk for meeting in client.get(f"/reunions/?{query}").context["page"]}


def test_refresh_stores_the_folded_words_of_the_meeting_its_group_movement_and_places(client):
    group = make_group("vie-libre", insee=METZ, name="Section de la Moselle")
    meeting = make_meeting(group=group, name="Café-rencontre")
    assert Meeting.objects.filter(pk=meeting.pk).refresh_search() == 1
    words = Meeting.objects.get(pk=meeting.pk).search_text
    for word in [" cafe rencontre ", " section de la moselle ", " vie libre ", " metz "]:
        assert word in words


def test_a_refreshed_meeting_is_found_by_its_stored_words(client):
    meeting = make_meeting()
    Meeting.objects.all().refresh_search()
    # Words no live column holds: only the stored column can find them.
    Meeting.objects.filter(pk=meeting.pk).update(search_text=" zebulon ", search_vector=None)
    assert found(client, "q=zebulon") == {meeting.pk}
    assert found(client, "q=vie+libre") == set()


def test_a_meeting_saved_since_its_refresh_is_found_by_its_new_words_only(client):
    meeting = make_meeting()
    Meeting.objects.filter(pk=meeting.pk).update(search_text=" ancien nom ")
    meeting.name = "Cercle du jeudi"
    meeting.save()
    assert Meeting.objects.get(pk=meeting.pk).search_text is None
    assert found(client, "q=cercle") == {meeting.pk}
    assert found(client, "q=ancien") == set()


def test_the_command_refreshes_every_meeting_or_only_those_saved_since(client):
    first, second = make_meeting(), make_meeting()
    Meeting.objects.filter(pk=first.pk).update(search_text=" deja fait ")
    call_command("refresh_search", "--stale", stdout=StringIO())
    assert Meeting.objects.get(pk=first.pk).search_text == " deja fait "
    assert "vie libre" in Meeting.objects.get(pk=second.pk).search_text
    call_command("refresh_search", stdout=StringIO())
    assert "vie libre" in Meeting.objects.get(pk=first.pk).search_text


def test_stemming_reads_the_stored_vector(client):
    if connection.vendor != "postgresql":
        pytest.skip("French stemming is PostgreSQL's full-text search")
    meeting = make_meeting(name="Cercle de parole")
    Meeting.objects.all().refresh_search()
    assert Meeting.objects.get(pk=meeting.pk).search_vector
    assert found(client, "q=cercles") == {meeting.pk}  # only the stem matches
