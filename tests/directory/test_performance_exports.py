"""Exports stream: their first bytes leave before the rows are all read."""

import pytest

from tests.directory.test_performance_pages import add_meetings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/reunions/export.csv", "/reunions/agenda.ics", "/donnees/meeting-guide.json"], ids=["csv", "ics", "mg"]
)
def test_an_export_sends_its_first_chunk_at_once_then_the_rows_in_larger_chunks(client, url):
    add_meetings(300)
    response = client.get(url)
    chunks = iter(response.streaming_content)
    first = next(chunks)
    rest = b"".join(chunks)
    assert len(first) < 4096 < len(rest)
