"""The OpenAPI document builds, documents both authentications, and exposes no integer pk."""

import pytest

from ilp.api.urls import api

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/regions",
    "/api/regions/{code}",
    "/api/regions/{code}/children",
    "/api/facilities",
    "/api/facilities/{external_id}",
    "/api/network",
    "/api/workforce/health-workers",
    "/api/workforce/kader",
    "/api/families",
    "/api/families/{external_id}",
    "/api/families/{external_id}/members",
    "/api/persons",
    "/api/persons/{external_id}",
}
# The writes: registering a family and adding a member to one; correcting a family or a person.
POSTS = {"/api/families", "/api/families/{external_id}/members"}
PATCHES = {"/api/families/{external_id}", "/api/persons/{external_id}"}


def _properties(schema: dict):
    for component in schema["components"]["schemas"].values():
        yield from component.get("properties", {})


def test_the_openapi_json_builds_with_every_endpoint(client):
    # when (no login needed: the document holds no data)
    response = client.get("/api/openapi.json")
    # then
    assert response.status_code == 200
    spec = response.json()
    assert spec["info"]["title"] == "ILP API"
    assert set(spec["paths"]) == PATHS
    assert {path for path, ops in spec["paths"].items() if "post" in ops} == POSTS
    assert {path for path, ops in spec["paths"].items() if "patch" in ops} == PATCHES
    assert all(set(ops) <= {"get", "post", "patch"} for ops in spec["paths"].values())


def test_every_operation_accepts_session_or_basic_auth(client):
    spec = client.get("/api/openapi.json").json()
    assert spec["components"]["securitySchemes"]["BasicAuth"] == {"type": "http", "scheme": "basic"}
    assert spec["components"]["securitySchemes"]["SessionAuth"]["in"] == "cookie"
    for ops in spec["paths"].values():
        for op in ops.values():
            assert op["security"] == [{"SessionAuth": []}, {"BasicAuth": []}]
            assert {"401", "404"} <= set(op["responses"])


def test_no_schema_exposes_an_integer_pk():
    spec = api.get_openapi_schema(path_prefix="/api/")
    assert not {"id", "pk"} & set(_properties(spec))


def test_list_and_detail_schemas_are_separate():
    schemas = api.get_openapi_schema(path_prefix="/api/")["components"]["schemas"]
    assert {"RegionListOut", "RegionDetailOut", "FacilityListOut", "FacilityDetailOut"} <= set(schemas)
    assert "working_area" not in schemas["FacilityListOut"]["properties"]


def test_the_docs_page_renders(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
