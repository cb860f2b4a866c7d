"""One demo world with its population, a year of services, PWS facts and the ILP cycle, built once for this
package (the two modules here read it; building it is the slowest fixture of the suite) and rolled back."""

import pytest
from django.db import transaction

from ilp.demo import seed

PERSONS = 6000  # ~100 births, ~250 school children per grade band, ~4,000 adults
SEED = 11


@pytest.fixture(scope="package")
def demo_world(django_db_setup, django_db_blocker):
    """`seed_demo`'s result for PERSONS persons; every test runs in its own transaction on top of it."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = seed.seed_demo(seed=SEED, persons=PERSONS)
        assert result.population.created and result.pws is not None
        assert result.planning is not None and result.planning.created
        yield result
        transaction.set_rollback(True)
