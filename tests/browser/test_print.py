"""Paper, as Chromium prints it: the whole list of a search, the poster, a movement's fiche.

Pages are printed to PDF through the DevTools protocol (print media, A4) and
the PDF's text is read back: what a professional gets on paper, not the HTML.
"""

import base64
import io
import re
import unicodedata
import urllib.request
from html import unescape

import pypdf
import pytest

pytestmark = pytest.mark.browser

A4_INCHES = {"paperWidth": 8.27, "paperHeight": 11.69}


def html_of(url):
    return urllib.request.urlopen(url).read().decode()


def printed(browser, url):
    """(number of pages, text) of `url` printed to PDF by Chromium."""
    page, report = browser.open(url, width=1280, height=900)
    assert not report.problems, report.problems
    result = browser.send("Page.printToPDF", {**A4_INCHES, "preferCSSPageSize": True}, session=page.session)
    page.close()
    reader = pypdf.PdfReader(io.BytesIO(base64.b64decode(result["data"])))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def squeezed(text):
    # PDF text extraction breaks lines where the page did and keeps ligatures (ﬁ): compare without either.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", unescape(text)))


def test_printing_a_search_of_more_than_twenty_results_prints_every_one_with_its_address(site, browser):
    finder = html_of(site + "/reunions/")
    total = int(re.search(r'<h2 id="resultats">\s*(\d+) réunions', finder).group(1))
    assert total > 20  # more than one page of the finder
    print_url = unescape(re.search(r'href="(/reunions/imprimer/[^"]*)"', finder).group(1))
    items = html_of(site + print_url).split('<li class="paper-meeting">')[1:]
    assert len(items) == total

    pages, text = printed(browser, site + print_url)

    flat = squeezed(text)
    assert pages > 1
    for item in items:
        link = re.search(r'<p class="url">([^<]+/reunions/\d+/)</p>', item).group(1)
        assert squeezed(link) in flat
        where = re.search(r'<p class="where">(.*?)</p>', item, re.S)
        if where:
            assert squeezed(re.sub(r"<[^>]+>", "", where.group(1))) in flat, where.group(1)
        else:  # joinable online only: its way in instead of an address
            assert 'class="online"' in item
    assert "Signaleruneerreur" not in flat and "Trouveruneréunion" not in flat


def test_the_moselle_poster_prints_on_one_a4_page(site, browser):
    pages, text = printed(browser, site + "/territoires/57-moselle/affiche/")
    assert pages == 1
    assert "Alcool Info Service" in text and "mise à jour le" in text


def test_a_printed_fiche_has_no_report_link_and_points_to_the_full_list(site, browser):
    pages, text = printed(browser, site + "/mouvements/vie-libre/")
    flat = squeezed(text)
    assert "Signaleruneerreur" not in flat
    assert squeezed("/reunions/imprimer/?mouvement=vie-libre") in flat
