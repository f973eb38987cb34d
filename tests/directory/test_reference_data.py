import pytest
from django.core.management import call_command

from charter.models import Charter, CharterItem, CharterSection
from directory.models import Commune, Department, Movement, Region

pytestmark = pytest.mark.django_db

GRAND_EST_CODES = ["08", "10", "51", "52", "54", "55", "57", "67", "68", "88"]


def test_it_has_the_region_its_ten_departments_and_all_communes():
    assert list(Region.objects.values_list("code", flat=True)) == ["44"]
    assert list(Department.objects.values_list("code", flat=True)) == GRAND_EST_CODES
    assert Commune.objects.count() == 5115
    assert set(Commune.objects.values_list("department", flat=True).distinct()) == set(GRAND_EST_CODES)


def test_every_commune_has_coordinates_inside_the_region():
    outside = Commune.objects.exclude(
        latitude__gte=47.4, latitude__lte=50.2, longitude__gte=3.3, longitude__lte=8.3
    ).values_list("insee", flat=True)
    assert list(outside) == []


def test_every_commune_has_a_postal_code_and_a_search_name():
    assert not Commune.objects.filter(postal_codes="").exists()
    assert not Commune.objects.filter(search_name="").exists()


def test_it_knows_communes_by_their_real_names():
    assert Commune.objects.get(pk="88160").name == "Épinal"
    assert Commune.objects.get(pk="67519").name == "La Wantzenau"
    assert list(Commune.objects.lookup("wantzenau")) == [Commune.objects.get(pk="67519")]
    assert [c.pk for c in Commune.objects.lookup("Vandœuvre-lès-Nancy")] == ["54547"]
    assert "88160" in [c.pk for c in Commune.objects.lookup("88000")]
    assert Commune.objects.lookup("") == Commune.objects.lookup("  '- ") == []


def test_it_has_the_six_movements_with_their_sources():
    slugs = set(Movement.objects.published().values_list("slug", flat=True))
    assert slugs == {
        "alcooliques-anonymes",
        "al-anon-alateen",
        "amis-de-la-sante",
        "croix-bleue",
        "narcotiques-anonymes",
        "vie-libre",
    }
    assert all(movement.source_list for movement in Movement.objects.all())


def test_it_publishes_no_unconfirmed_helpline():
    # MOVEMENTS.md flags every known helpline as to confirm or possibly outdated.
    assert list(Movement.objects.exclude(helpline="").values_list("slug", flat=True)) == []


def test_it_has_the_whole_charter():
    charter = Charter.objects.get()
    kinds = list(CharterSection.objects.filter(charter=charter).values_list("kind", flat=True))
    assert kinds == ["valeurs", "competences", "missions", "qualite"]
    values = CharterItem.objects.filter(section__kind="valeurs", parent=None).values_list("title", flat=True)
    assert len(values) == 10 and "Écoute" in values
    assert CharterItem.objects.filter(section__kind="competences", parent__isnull=False).count() >= 9


def test_loading_the_reference_fixtures_twice_changes_nothing():
    before = (Commune.objects.count(), Movement.objects.count(), CharterItem.objects.count())
    call_command(
        "loaddata", "fixtures/territories.json", "fixtures/movements.json", "fixtures/charter.json", verbosity=0
    )
    assert (Commune.objects.count(), Movement.objects.count(), CharterItem.objects.count()) == before
