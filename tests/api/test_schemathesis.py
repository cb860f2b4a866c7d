"""Property-based run over the OpenAPI document: every generated request gets a documented answer, never a 500."""

import pytest

schemathesis = pytest.importorskip("schemathesis")

from django.core.wsgi import get_wsgi_application  # noqa: E402
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from schemathesis.auths import apply_basic_auth  # noqa: E402

from ilp.demo.seed import DEMO_PASSWORD  # noqa: E402

pytestmark = pytest.mark.django_db

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@schema.parametrize()
@hypothesis_settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_conforms_to_its_openapi_document(case, settings):
    # given no axes lockout: the probes' invalid credentials would lock it and answer 429 (tested in test_auth),
    # and a script with the kepala puskesmas' credentials (explicit, so the auth checks probe without them)
    settings.AXES_FAILURE_LIMIT = 1_000_000
    apply_basic_auth(case, "kapus.maninjau", DEMO_PASSWORD)
    # when / then
    case.call_and_validate()
