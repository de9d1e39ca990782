"""Open311 GeoReport v2 under /open311/v2: discovery, services, filing and reading requests.
Each view checks its parameters, calls one service and answers in the format its path names.
CSRF does not apply (no browser session; POST needs a partner's key) and neither does the
captcha; the rate limits do: filings per key, reads per client address."""

from flask import Blueprint, current_app, g, json, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from models import utcnow
from models.api_key import find_enabled_key
from portal.api import catalog, openapi
from portal.api.forms import ApiError, check_jurisdiction, filing_form, list_filters, param
from portal.api.render import answer, error_answer, format_of
from portal.extensions import client_address, csrf, limiter
from portal.services import open311

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
csrf.exempt(bp)
FMT = "<any(json, xml):fmt>"


def current_key():
    """The enabled key the request carries (looked up once per request), else None."""
    if "api_key" not in g:
        g.api_key = find_enabled_key(request.form.get("api_key", ""))
    return g.api_key


def _filing_limit_key():
    key = current_key()
    return f"key:{key.id}" if key is not None else f"no-key:{client_address()}"


@bp.before_request
def one_jurisdiction():
    """The spec's jurisdiction_id: optional here, and if given it must be ours (else 404)."""
    check_jurisdiction(request.args)
    if request.method == "POST":
        check_jurisdiction(request.form)


read_limit = limiter.limit(lambda: current_app.config["OPEN311_READ_RATE_LIMIT"],
                           key_func=client_address, scope="open311-read")
filing_limit = limiter.limit(lambda: current_app.config["OPEN311_FILING_RATE_LIMIT"],
                             key_func=_filing_limit_key, scope="open311-filing")


@bp.get("/")
@read_limit
def index():
    return answer("json", "discovery", catalog.discovery())


@bp.get(f"/discovery.{FMT}")
@read_limit
def discovery(fmt):
    return answer(fmt, "discovery", catalog.discovery())


@bp.get("/openapi.json")
@read_limit
def openapi_document():
    return current_app.response_class(json.dumps(openapi.document()),
                                      mimetype="application/json")


@bp.get(f"/services.{FMT}")
@read_limit
def services(fmt):
    return answer(fmt, "services", catalog.services())


@bp.get(f"/services/<code>.{FMT}")
@read_limit
def service_definition(code, fmt):
    service = catalog.find_service(code)
    if service is None:
        raise ApiError(404, _("service_code 不存在：%(code)s", code=code[:50]))
    return answer(fmt, "service_definition", catalog.definition(service))


@bp.post(f"/requests.{FMT}")
@filing_limit
def create_request(fmt):
    key = current_key()
    if key is None:
        raise ApiError(403, _("api_key 缺失、无效或已停用，无法提交。"))
    code = param(request.form, "service_code")
    if code is None:
        raise ApiError(400, _("请提供 service_code。"))
    service = catalog.find_service(code)
    if service is None:
        raise ApiError(404, _("service_code 不存在：%(code)s", code=code[:50]))
    form, note = filing_form(request.form, service, catalog.service_name(*service))
    case, query_code = open311.file_api_request(key=key, fields=form.case_fields(), note=note,
                                                now=utcnow())
    relayed = query_code if key.trusted_to_relay_code else None
    return answer(fmt, "service_requests", [catalog.receipt(case, relayed)])


@bp.get(f"/requests.{FMT}")
@read_limit
def service_requests(fmt):
    filters = list_filters(request.args, catalog.all_services(), utcnow())
    rows = open311.public_requests(**filters)
    return answer(fmt, "service_requests", [catalog.service_request(c, at) for c, at in rows])


@bp.get(f"/requests/<number>.{FMT}")
@read_limit
def service_request(number, fmt):
    row = open311.public_request(number[:32])
    if row is None:
        raise ApiError(404, _("service_request_id 不存在：%(id)s", id=number[:32]))
    return answer(fmt, "service_requests", [catalog.service_request(*row)])


@bp.get(f"/tokens/<token>.{FMT}")
@read_limit
def token(token, fmt):
    number = open311.number_for_token(token[:32])
    if number is None:
        raise ApiError(404, _("token 不存在：%(token)s", token=token[:32]))
    return answer(fmt, "service_requests", [{"service_request_id": number, "token": token}])


@bp.route("/<path:rest>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(rest):
    raise ApiError(404, _("没有这个接口：/open311/v2/%(path)s", path=rest[:100]))


@bp.errorhandler(ApiError)
def api_error(error):
    return error_answer(format_of(request.path), error.status, error.descriptions)


def http_error(error):
    """Whatever Flask or the limiter refuses (405, 413, 429 ...) in the spec's format."""
    messages = {405: _("不支持此请求方式。"), 413: _("提交的内容过大。"),
                429: _("请求过于频繁，请稍后再试。")}
    text = messages.get(error.code) or _("请求有误，请检查后重试。")
    return error_answer(format_of(request.path), error.code, [text])


# By code as well: Flask looks for a handler of the status code (the app's HTML pages) before
# a handler of the exception class, whatever blueprint registered it.
bp.register_error_handler(HTTPException, http_error)
for _code in (400, 403, 404, 405, 413, 429):
    bp.register_error_handler(_code, http_error)
