import pytest
from django.core.management import call_command

REFERENCE_FIXTURES = ["fixtures/territories.json", "fixtures/movements.json", "fixtures/charter.json"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real reference data once per test database; each test then rolls back."""
    with django_db_blocker.unblock():
        call_command("loaddata", *REFERENCE_FIXTURES, verbosity=0)
