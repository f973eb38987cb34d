"""Property-based fuzzing (hypothesis) of everything the public can reach.

Every public URL with any query parameters, paths with hostile segments, every
export, and the report form: the site never answers 500, and an HTML page never
echoes its input unescaped. A few hundred examples in all, derandomized so that
CI runs the same ones every time (a failure prints the example to reproduce).
"""

from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory.filters import MeetingFilter

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# A tag no page contains: if it comes back unescaped in HTML, the input was echoed raw.
MARKER = "x-fz"
PAYLOADS = [
    f"<{MARKER}>",
    f'"><{MARKER} a=1>',
    f"'><{MARKER}>",
    f"</textarea><{MARKER}>",
    f"</script><{MARKER}>",
    f"javascript:alert(1)//<{MARKER}>",
]
ODD = [
    "",
    " ",
    "0",
    "-1",
    "1e309",
    "nan",
    "inf",
    "99999999999999999999999",
    "57",
    "nancy",
    "54000",
    "\x00",
    "a\x00b",
    "\r\nX-Injected: 1",
    "\u202eevil",
    "é" * 300,
    "%00",
    "%",
    "../../etc/passwd",
    "' OR 1=1 --",
]
hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.sampled_from(ODD),
    st.text(max_size=40),
    st.builds(lambda a, p, b: a + p + b, st.text(max_size=8), st.sampled_from(PAYLOADS), st.text(max_size=8)),
)

PUBLIC_PAGES = [
    "/",
    "/mouvements/",
    "/mouvements/vie-libre/",
    "/reunions/",
    "/territoires/",
    "/territoires/57-moselle/",
    "/communes/57463-metz/",
    "/charte/",
    "/donnees/",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    "/reunions/{meeting}/",
    "/reunions/{meeting}/signaler/",
    "/groupes/{group}/",
    "/groupes/{group}/signaler/",
    "/mouvements/vie-libre/signaler/",
]
EXPORTS = [
    "/reunions/export.csv",
    "/reunions/agenda.ics",
    "/donnees/meeting-guide.json",
    "/donnees/data-inclusion/structures.json",
    "/donnees/data-inclusion/services.json",
    "/donnees/hsds/organizations",
    "/donnees/hsds/services",
    "/donnees/hsds/locations",
    "/donnees/hsds/service_at_locations",
    "/donnees/hsds.zip",
    "/reunions/{meeting}.ics",
]
FINDER_PARAMS = [*MeetingFilter.base_filters, "page", "per_page", "quand", "lat", "lon", "pour", "envoye"]
params = st.lists(
    st.tuples(st.one_of(st.sampled_from(FINDER_PARAMS), st.text(min_size=1, max_size=10)), hostile_text),
    max_size=6,
)
PATH_TEMPLATES = [
    "/reunions/{}/",
    "/reunions/{}.ics",
    "/reunions/{}/signaler/",
    "/groupes/{}/",
    "/mouvements/{}/",
    "/territoires/{}/",
    "/communes/{}/",
    "/donnees/hsds/services/{}",
]
path_segment = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["57-moselle", "57463-metz", "57-x", "00000-x", "vie-libre", *PAYLOADS, *ODD]),
    st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/?#"), min_size=1, max_size=20),
)


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_safe(response):
    assert response.status_code < 500, response.status_code
    body = body_of(response)
    if response.get("Content-Type", "").startswith("text/html"):
        assert f"<{MARKER}".encode() not in body, "input echoed unescaped"


@pytest.fixture
def data(world):
    return world


@FUZZ
@given(page=st.sampled_from(PUBLIC_PAGES + EXPORTS), query=params)
def test_public_urls_and_exports_with_any_parameters(client, data, page, query):
    page = page.format(meeting=data.vl_meeting.pk, group=data.cb_group.pk)
    assert_safe(client.get(f"{page}?{urlencode(query)}"))


@FUZZ
@given(template=st.sampled_from(PATH_TEMPLATES), segment=path_segment)
def test_public_paths_with_any_segment(client, data, template, segment):
    from urllib.parse import quote

    assert_safe(client.get(template.format(quote(segment, safe=""))))


@FUZZ
@given(message=hostile_text, contact=hostile_text, website=st.one_of(st.just(""), hostile_text))
def test_the_report_form_with_any_input(client, data, django_settings, message, contact, website):
    for url in [f"/reunions/{data.vl_meeting.pk}/signaler/", f"/groupes/{data.cb_group.pk}/signaler/"]:
        response = client.post(url, {"message": message * 3, "contact": contact, "website": website})
        assert response.status_code in (200, 302), response.status_code
        assert_safe(response)


@pytest.fixture
def django_settings(settings):
    # Fuzzing submits far more reports than a visitor may; the limit itself is tested elsewhere.
    settings.CHANGE_REQUEST_RATE_LIMIT = 10**9
    return settings
