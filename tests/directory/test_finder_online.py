"""Meetings joinable online beside a territorial search: one list, one count, the same everywhere it is shown."""

import re
from datetime import time

import pytest

from directory.models import Meeting
from tests.directory.export_helpers import csv_rows
from tests.factories import METZ, NANCY, make_group, make_meeting, make_venue

pytestmark = pytest.mark.django_db

LISTED = re.compile(r'<p class="meeting-what"><a href="/reunions/(\d+)/"')


def online_section(html):
    start = html.index('<section aria-labelledby="en-ligne"')
    return html[start : html.index("</section>", start)]


def listed(html):
    return [int(pk) for pk in LISTED.findall(html)]


def results_section(html):
    start = html.index('<section aria-labelledby="resultats"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def nancy():
    """The Nancy case: enough online meetings to need more than the preview, and decoys."""
    group = make_group(insee=NANCY)
    metz = make_group("alcooliques-anonymes", insee=METZ)
    online = [
        make_meeting(group=group, modality=Meeting.Modality.ONLINE, phone="01 99 00 00 01", start_time=time(9 + n))
        for n in range(9)
    ]
    hybrid_elsewhere = [
        make_meeting(group=metz, modality=Meeting.Modality.HYBRID, video_url=f"https://visio.example.org/{n}")
        for n in range(2)
    ]
    hybrid_here = make_meeting(group=group, modality=Meeting.Modality.HYBRID, video_url="https://visio.example.org/h")
    in_person = make_meeting(group=group, venue=make_venue(insee=NANCY))
    # Not on Tuesday: outside the search whatever their place.
    make_meeting(group=group, modality=Meeting.Modality.ONLINE, phone="01 99 00 00 02", weekday=2)
    make_meeting(group=metz, modality=Meeting.Modality.HYBRID, video_url="https://visio.example.org/w", weekday=2)
    return {
        "online": {m.pk for m in online + hybrid_elsewhere},
        "here": {hybrid_here.pk, in_person.pk},
    }


QUERY = "commune=nancy&rayon=30&jour=mardi"


def test_the_online_count_is_the_online_list_and_all_of_it_is_shown(client, nancy):
    response = client.get("/reunions/?" + QUERY)
    html = response.content.decode()
    assert {m.pk for m in response.context["page"].object_list} == nancy["here"]
    section = online_section(html)
    shown = listed(section)
    assert len(shown) == len(set(shown)) == 11 and set(shown) == nancy["online"]
    assert "Et 11 réunions en ligne, accessibles de partout" in section
    assert "Voir toutes les réunions en ligne (11)" in section


def test_a_hybrid_meeting_held_here_is_listed_once(client, nancy):
    html = client.get("/reunions/?" + QUERY).content.decode()
    assert set(listed(results_section(html))) == nancy["here"]
    assert not nancy["here"] & set(listed(online_section(html)))


def test_the_export_link_gives_the_same_rows_as_the_page(client, nancy):
    html = client.get("/reunions/?" + QUERY).content.decode()
    assert f'href="/reunions/export.csv?{QUERY.replace("&", "&amp;")}"' in html
    response = client.get("/reunions/export.csv?" + QUERY)
    ids = [int(row["id"]) for row in csv_rows(response)]
    page, online = listed(results_section(html)), listed(online_section(html))
    assert ids == page + online


def test_an_empty_search_announces_the_online_meetings_it_shows(client, nancy):
    html = client.get("/reunions/?commune=nancy&rayon=5&jour=mardi&type=permanence").content.decode()
    # None to announce, and none on other days either: no suggestion that would give 0.
    assert "en ligne ci-dessous" not in html and "en ligne, tous jours" not in html
    for meeting in Meeting.objects.filter(pk__in=nancy["online"]):
        meeting.type = Meeting.Type.DROP_IN
        meeting.save()
    html = client.get("/reunions/?commune=nancy&rayon=5&jour=mardi&type=permanence").content.decode()
    announced = int(re.search(r"Voir les (\d+) réunions en ligne ci-dessous", html).group(1))
    assert announced == len(listed(online_section(html))) == 11


def test_the_link_to_online_meetings_any_day_finds_hybrid_ones_too(client, nancy):
    for meeting in Meeting.objects.filter(pk__in=nancy["online"]):
        meeting.type = Meeting.Type.DROP_IN
        meeting.save()
    html = client.get("/reunions/?commune=nancy&rayon=5&jour=vendredi&type=permanence").content.decode()
    link, count = re.search(r'<a href="\?([^"]+)">(\d+) réunions en ligne, tous jours', html).groups()
    assert link.replace("&amp;", "&") == "type=permanence&modalite=en-ligne&modalite=hybride"
    found = client.get("/reunions/?" + link.replace("&amp;", "&")).context["page"].paginator.count
    assert found == int(count) == len(nancy["online"])
