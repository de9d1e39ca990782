"""The OpenAPI 3.0 description of the Open311 endpoints, served at /open311/v2/openapi.json
(schemathesis tests the running app against it: tests/test_open311_schema.py)."""

from flask import current_app

TEXT = {"type": "string"}
NULLABLE_TEXT = {"type": "string", "nullable": True}


def _object(required, /, **properties):
    return {"type": "object", "required": list(required), "properties": properties}


def _array(items):
    return {"type": "array", "items": items}


ERRORS = _array(_object(["code", "description"], code={"type": "integer"}, description=TEXT))
DISCOVERY = _object(
    ["changeset", "contact", "key_service", "endpoints"], changeset=TEXT, contact=TEXT,
    key_service=TEXT,
    endpoints=_array(_object(["specification", "url", "changeset", "type", "formats"],
                             specification=TEXT, url=TEXT, changeset=TEXT,
                             type={"type": "string", "enum": ["production", "test"]},
                             formats=_array(TEXT))))
SERVICES = _array(_object(
    ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"],
    service_code=TEXT, service_name=TEXT, description=TEXT, metadata={"type": "boolean"},
    type={"type": "string", "enum": ["realtime", "batch", "blackbox"]}, keywords=TEXT,
    group=TEXT))
DEFINITION = _object(["service_code", "attributes"], service_code=TEXT, attributes=_array(_object(
    ["variable", "code", "datatype", "required", "order", "description", "values"],
    variable={"type": "boolean"}, code=TEXT,
    datatype={"type": "string", "enum": ["string", "number", "datetime", "text",
                                         "singlevaluelist", "multivaluelist"]},
    required={"type": "boolean"}, datatype_description=NULLABLE_TEXT,
    order={"type": "integer", "minimum": 1}, description=TEXT,
    values=_array(_object(["key", "name"], key=TEXT, name=TEXT)))))
RECEIPT = _array(_object(["service_request_id", "token"], service_request_id=TEXT, token=TEXT,
                         service_notice=TEXT, account_id=NULLABLE_TEXT, query_code=TEXT))
REQUESTS = _array(_object(
    ["service_request_id", "status", "service_name", "service_code", "requested_datetime",
     "updated_datetime"],
    service_request_id=TEXT, status={"type": "string", "enum": ["open", "closed"]},
    status_notes=TEXT, service_name=TEXT, service_code=TEXT, description=TEXT,
    agency_responsible=NULLABLE_TEXT,
    requested_datetime={"type": "string", "format": "date-time"},
    updated_datetime={"type": "string", "format": "date-time"},
    expected_datetime={"type": "string", "format": "date-time", "nullable": True}))
TOKEN = _array(_object(["service_request_id", "token"], service_request_id=TEXT, token=TEXT))

JURISDICTION = {"name": "jurisdiction_id", "in": "query", "required": False, "schema": TEXT,
                "description": "Optional: this endpoint serves one jurisdiction."}
FILING_FIELDS = ["api_key", "jurisdiction_id", "service_code", "description", "lat", "long",
                 "address_string", "email", "first_name", "last_name", "phone", "media_url",
                 "attribute[title]", "attribute[section]", "attribute[publish]"]


def _path_param(name):
    return {"name": name, "in": "path", "required": True, "schema": TEXT}


def _query(*names):
    return [{"name": n, "in": "query", "required": False, "schema": TEXT} for n in names]


def _responses(fmt, ok_status, schema, errors=(400, 404, 429)):
    def body(s):
        if fmt == "xml":
            return {"text/xml": {"schema": TEXT}}
        return {"application/json": {"schema": s}}

    out = {str(ok_status): {"description": "OK", "content": body(schema)}}
    for status in errors:
        out[str(status)] = {"description": "Error (the spec's error list)", "content": body(ERRORS)}
    return out


def _get(fmt, summary, schema, parameters=(), errors=(400, 404, 429)):
    return {"get": {"summary": summary, "parameters": [JURISDICTION, *parameters],
                    "responses": _responses(fmt, 200, schema, errors)}}


def _post(fmt):
    form = {"type": "object", "required": ["api_key", "service_code"],
            "properties": {name: TEXT for name in FILING_FIELDS}}
    return {"post": {
        "summary": "File a service request (a case), form-encoded as the spec says",
        "requestBody": {"required": True,
                        "content": {"application/x-www-form-urlencoded": {"schema": form}}},
        "responses": _responses(fmt, 200, RECEIPT, (400, 403, 404, 413, 429))}}


def _paths(fmt):
    requests_query = _query("service_request_id", "service_code", "start_date", "end_date",
                            "status")
    return {
        f"/discovery.{fmt}": _get(fmt, "Service discovery", DISCOVERY),
        f"/services.{fmt}": _get(fmt, "Service list", SERVICES),
        f"/services/{{service_code}}.{fmt}": _get(
            fmt, "Service definition", DEFINITION, [_path_param("service_code")]),
        f"/requests.{fmt}": _get(fmt, "Service requests (public fields only)", REQUESTS,
                                 requests_query) | _post(fmt),
        f"/requests/{{service_request_id}}.{fmt}": _get(
            fmt, "One service request", REQUESTS, [_path_param("service_request_id")]),
        f"/tokens/{{token}}.{fmt}": _get(fmt, "Service request id from a token", TOKEN,
                                         [_path_param("token")]),
    }


def document():
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    return {
        "openapi": "3.0.3",
        "info": {"title": "Pingyi Open311 GeoReport v2", "version": "2.0",
                 "description": "http://wiki.open311.org/GeoReport_v2"},
        "servers": [{"url": f"{base}/open311/v2"}],
        "paths": _paths("json") | _paths("xml"),
    }
