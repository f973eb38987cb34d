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
        "hybrid_here": {hybrid_here.pk},
    }


QUERY = "commune=nancy&rayon=30&jour=mardi"
# The finder search the section links to: every criterion but the territory, joinable online.
ONLINE_QUERY = "jour=mardi&modalite=en-ligne&modalite=hybride"


def linked_list(client, html):
    """The meetings of the page the online section links to, and the count it announces."""
    href = re.search(r'<p class="online-more"><a href="\?([^"]+)">', html).group(1).replace("&amp;", "&")
    assert href == ONLINE_QUERY
    response = client.get("/reunions/?" + href)
    return [m.pk for m in response.context["page"].object_list], response.context["page"].paginator.count


def test_the_online_section_counts_the_list_it_links_to_and_previews_its_start(client, nancy):
    response = client.get("/reunions/?" + QUERY)
    html = response.content.decode()
    assert {m.pk for m in response.context["page"].object_list} == nancy["here"]
    section = online_section(html)
    joinable = nancy["online"] | nancy["hybrid_here"]
    assert "Et 12 réunions en ligne, accessibles de partout" in section
    assert "Voir toutes les réunions en ligne (12)" in section
    linked, count = linked_list(client, html)
    assert count == len(linked) == 12 and set(linked) == joinable
    assert listed(section) == linked[:10]


def test_a_hybrid_meeting_held_here_is_in_the_list_of_places_and_joinable_online(client, nancy):
    html = client.get("/reunions/?" + QUERY).content.decode()
    assert set(listed(results_section(html))) == nancy["here"]
    linked, _count = linked_list(client, html)
    assert nancy["here"] & set(linked) == nancy["hybrid_here"]


def test_the_export_lists_the_places_then_the_other_meetings_joinable_online_each_once(client, nancy):
    html = client.get("/reunions/?" + QUERY).content.decode()
    assert f'href="/reunions/export.csv?{QUERY.replace("&", "&amp;")}"' in html
    response = client.get("/reunions/export.csv?" + QUERY)
    ids = [int(row["id"]) for row in csv_rows(response)]
    page = listed(results_section(html))
    linked, _count = linked_list(client, html)
    assert ids == page + [pk for pk in linked if pk not in page]


def test_a_short_online_section_is_shown_whole_without_a_link(client, nancy):
    Meeting.objects.filter(pk__in=sorted(nancy["online"])[:5]).delete()
    html = client.get("/reunions/?" + QUERY).content.decode()
    section = online_section(html)
    assert "Et 7 réunions en ligne, accessibles de partout" in section
    assert len(listed(section)) == 7 and 'class="online-more"' not in section


def test_an_empty_search_announces_the_online_meetings_it_shows(client, nancy):
    html = client.get("/reunions/?commune=nancy&rayon=5&jour=mardi&type=permanence").content.decode()
    # None to announce, and none on other days either: no suggestion that would give 0.
    assert "en ligne ci-dessous" not in html and "en ligne, tous jours" not in html
    for meeting in Meeting.objects.filter(pk__in=nancy["online"]):
        meeting.type = Meeting.Type.DROP_IN
        meeting.save()
    html = client.get("/reunions/?commune=nancy&rayon=5&jour=mardi&type=permanence").content.decode()
    announced = int(re.search(r"Voir les (\d+) réunions en ligne ci-dessous", html).group(1))
    section = online_section(html)
    assert "Et 11 réunions en ligne" in section and len(listed(section)) == 10
    href = re.search(r'<p class="online-more"><a href="\?([^"]+)">', section).group(1).replace("&amp;", "&")
    assert href == "jour=mardi&type=permanence&modalite=en-ligne&modalite=hybride"
    assert announced == client.get("/reunions/?" + href).context["page"].paginator.count == 11


def test_the_online_link_keeps_the_modalities_asked_for(client, nancy):
    group = Meeting.objects.get(pk=min(nancy["online"])).group
    for n in range(3):
        make_meeting(group=group, modality=Meeting.Modality.ONLINE, phone="01 99 00 00 03", start_time=time(6 + n))
    html = client.get("/reunions/?" + QUERY + "&modalite=en-ligne").content.decode()
    section = online_section(html)
    assert "Et 12 réunions en ligne" in section and len(listed(section)) == 10
    assert '<p class="online-more"><a href="?jour=mardi&amp;modalite=en-ligne">' in section
    assert client.get("/reunions/?jour=mardi&modalite=en-ligne").context["page"].paginator.count == 12
