"""Times as French speakers write them, in the admin's meeting form."""

from datetime import time

import pytest

from directory.admin_forms import FrenchTimeField
from directory.wording import parse_time


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("20h", time(20, 0)),
        ("20H", time(20, 0)),
        ("20 h", time(20, 0)),
        ("20h30", time(20, 30)),
        ("20 h 30", time(20, 30)),
        ("14h05", time(14, 5)),
        ("20:30", time(20, 30)),
        ("20.30", time(20, 30)),
        ("20,30", time(20, 30)),
        ("2030", time(20, 30)),
        ("830", time(8, 30)),
        ("8h", time(8, 0)),
        ("20", time(20, 0)),
        ("20:30:00", time(20, 30)),
        (" 9h15 ", time(9, 15)),
        ("midi", time(12, 0)),
        ("minuit", time(0, 0)),
    ],
)
def test_it_reads_french_ways_of_writing_a_time(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["25h", "20h75", "2090", "vingt heures", "20h3", "h30", "", "20:30:15", "12345"])
def test_it_refuses_what_is_not_a_time(typed):
    with pytest.raises(ValueError):
        parse_time(typed)


def test_the_field_explains_what_it_accepts_in_french():
    field = FrenchTimeField()
    assert field.clean("20h") == time(20, 0)
    with pytest.raises(Exception) as error:
        field.clean("25h")
    assert "Saisissez une heure valide, par exemple « 20h »" in str(error.value)


def test_the_field_brings_a_numeric_keyboard_on_phones():
    html = FrenchTimeField().widget.render("start_time", time(20, 0))
    assert 'inputmode="numeric"' in html and 'value="20:00"' in html
