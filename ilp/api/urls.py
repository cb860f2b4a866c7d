"""The HTTP API at /api/ (OpenAPI docs at /api/docs). Reads and the family-register writes; every read goes through the
caller's area scope, exactly like the web pages."""

from ninja import NinjaAPI

from ilp.api.auth import api_auth
from ilp.api.errors import install_error_handlers
from ilp.api.routers import facilities, network, people, regions, workforce

api = NinjaAPI(
    title="ILP API",
    version="1",
    description=(
        "Integrasi Layanan Primer: regions, facilities, the jejaring fungsional and the workforce, "
        "scoped to your area. Log in through the web (session) or send HTTP Basic credentials."
    ),
    urls_namespace="api",
    docs_url="/docs",
    auth=api_auth,
)
install_error_handlers(api)
api.add_router("/regions", regions.router)
api.add_router("/facilities", facilities.router)
api.add_router("/network", network.router)
api.add_router("/workforce", workforce.router)
api.add_router("/families", people.families)
api.add_router("/persons", people.persons)
