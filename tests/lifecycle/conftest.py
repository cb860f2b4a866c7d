"""Life-cycle tests reuse the family-register fixtures (a family factory on the demo world)."""

from tests.people.conftest import make_family, region, scope  # noqa: F401 - pytest fixtures
