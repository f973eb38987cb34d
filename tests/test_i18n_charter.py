"""The charter under /de/ and /en/: our translation of its titles and texts, said to be ours;
what stays French (preamble, authors, movements' own words) is marked lang="fr" (issue 13)."""

import re

import pytest

from charter.models import Charter, CharterItem, CharterSection, Commitment
from tests.factories import get_movement

pytestmark = pytest.mark.django_db


def test_the_charter_reads_in_german_and_english_and_says_the_french_text_is_authoritative(client):
    de = client.get("/de/charte/").content.decode()
    en = client.get("/en/charte/").content.decode()
    assert "<h1>Charta der Selbsthilfebewegungen in der Suchtmedizin</h1>" in de
    assert "<h2>Shared values</h2>" in en and "<h2>Commitment to quality</h2>" in en
    assert "Die Gesprächsgruppen bieten einen Raum für Austausch" in de
    assert "only the French text is authoritative" in en
    assert re.search(r'<details id="preambule" class="preamble" lang="fr">', en)
    assert "(in French)" in en  # the preamble's mark
    assert "Valeurs communes" not in en.split("<main")[1]
    french = client.get("/charte/").content.decode()
    assert "<h2>Valeurs communes</h2>" in french and "seul fait foi" not in french


def test_every_charter_title_and_text_has_its_german_and_english_version():
    for obj, fields in (
        [(Charter.objects.get(), ["title"])]
        + [(section, ["title", "introduction"]) for section in CharterSection.objects.all()]
        + [(item, ["title", "text"]) for item in CharterItem.objects.all()]
    ):
        for field in fields:
            if getattr(obj, f"{field}_fr"):
                assert getattr(obj, f"{field}_de") and getattr(obj, f"{field}_en"), (obj, field)


def test_an_untranslated_item_and_the_movements_words_are_marked_french(client):
    item = CharterItem.objects.get(code="mission-visites")
    CharterItem.objects.filter(pk=item.pk).update(text_en="")
    Commitment.objects.create(movement=get_movement("vie-libre"), item=item, how="Visites chaque mois.")
    en = client.get("/en/charte/").content.decode()
    block = re.search(r'<li id="mission-visites">.*?</li>', en, re.S).group(0)
    assert "<strong>Visits</strong>" in block
    assert '<div lang="fr"><p>Les mouvements d’entraide organisent la première rencontre' in block
    assert "(in French)" in block
    matrix = client.get("/en/charte/engagements/").content.decode()
    assert '<span lang="fr">Visites chaque mois.</span>' in matrix and ">Visits</a>" in matrix


def test_an_administrator_edits_the_three_languages_of_a_charter_item(as_user, world):
    item = CharterItem.objects.get(code="mission-visites")
    form = as_user(world.admin).get(f"/admin/charter/charteritem/{item.pk}/change/").context["adminform"].form
    assert {"title_fr", "title_de", "title_en", "text_fr", "text_de", "text_en"} <= set(form.fields)
