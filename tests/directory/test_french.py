import pytest

from directory.templatetags.french import a_, de


@pytest.mark.parametrize(
    "name, after_de, after_a",
    [
        ("Nancy", "de Nancy", "à Nancy"),
        ("Épinal", "d'Épinal", "à Épinal"),
        ("Haguenau", "d'Haguenau", "à Haguenau"),
        ("Le Thillot", "du Thillot", "au Thillot"),
        ("Les Forges", "des Forges", "aux Forges"),
        ("La Wantzenau", "de la Wantzenau", "à la Wantzenau"),
        ("L'Hôpital", "de l'Hôpital", "à l'Hôpital"),
    ],
)
def test_place_names_take_the_right_preposition(name, after_de, after_a):
    assert (de(name), a_(name)) == (after_de, after_a)
