"""The API's parameters: a filing becomes the web filing form's own fields and is checked by
that form (CaseForm), so both channels obey one set of rules; the list filters and the W3C
dates the spec fixes are checked here."""

import math
import re
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from models import Unit, db
from models.case import Kind
from models.typed_codes import normalize_number
from portal.abuse.form_filters import has_control_chars, without_control_chars
from portal.forms_common import CaseForm, build_case_form

MAX_RANGE = timedelta(days=90)
MAX_IDS = 200
# The spec's date format (W3C's profile of ISO 8601) with the zone it requires: Z or +hh:mm.
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$")
# Where the form's errors came from, in the API's own parameter names.
PARAM_OF_FIELD = {"content": "description", "title": "attribute[title]",
                  "target_unit": "attribute[section]", "name": "first_name/last_name",
                  "phone": "phone", "email": "email", "kind": "service_code",
                  "topic": "service_code"}


class ApiError(Exception):
    """A refusal in the spec's error format: an HTTP status and one or more descriptions."""

    def __init__(self, status, *descriptions):
        super().__init__(status, descriptions)
        self.status, self.descriptions = status, list(descriptions)


class ApiCaseForm(CaseForm):
    class Meta:
        csrf = False  # no browser session: the key authenticates the partner

    def validate_captcha(self, field):
        """The partner's key stands in for the captcha."""


def param(source, name):
    """A parameter's first value; an empty one counts as absent (the spec's rule)."""
    value = source.get(name, "")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _checked_text(source, name, limit):
    value = param(source, name)
    if value is not None and (len(value) > limit or has_control_chars(value)):
        raise ApiError(400, _("%(name)s：不超过 %(n)d 个字，且不含控制字符。", name=name, n=limit))
    return value


def check_jurisdiction(source):
    given = param(source, "jurisdiction_id")
    if given is not None and given != current_app.config["OPEN311_JURISDICTION_ID"]:
        raise ApiError(404, _("jurisdiction_id 不存在：本接口只服务 %(id)s。",
                              id=current_app.config["OPEN311_JURISDICTION_ID"]))


def _location(source):
    """What the partner said about where: kept in the case's internal first note."""
    lat, long = param(source, "lat"), param(source, "long")
    lines = []
    if (lat is None) != (long is None):
        raise ApiError(400, _("lat 和 long 须同时提供。"))
    if lat is not None:
        try:
            lat_value, long_value = float(lat), float(long)
        except ValueError:
            raise ApiError(400, _("lat 和 long 须为数字（WGS84 坐标）。")) from None
        if not (math.isfinite(lat_value) and math.isfinite(long_value)
                and -90 <= lat_value <= 90 and -180 <= long_value <= 180):
            raise ApiError(400, _("lat 和 long 须为数字（WGS84 坐标）。"))
        lines.append(f"lat/long: {lat_value:.7f},{long_value:.7f}")
    address = _checked_text(source, "address_string", 200)
    if address:
        lines.append(f"address_string: {address}")
    media = _checked_text(source, "media_url", 500)
    if media:
        if not re.match(r"^https?://[^\s]+$", media):
            raise ApiError(400, _("media_url 须为 http 或 https 地址。"))
        lines.append(f"media_url: {media}")
    return "\n".join(lines)


def _name(source):
    first = _checked_text(source, "first_name", 50) or ""
    last = _checked_text(source, "last_name", 50) or ""
    # A Chinese name is written family name first, without a space.
    if re.search(r"[\u3400-\u9fff]", first + last):
        return last + first
    return " ".join(part for part in (first, last) if part)


def _title(source, service_label, description):
    given = param(source, "attribute[title]")
    if given is not None:
        return given
    # Taken from the first line; its control characters are the description's error only.
    text = without_control_chars(description)
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if len(line) > 50:
        line = line[:49] + "…"
    return line if len(line) >= 5 else f"{service_label}：{line}"[:50]


def _section_id(source):
    code = param(source, "attribute[section]")
    if code is None:
        return ""
    unit = db.session.query(Unit).filter_by(code=code[:32], active=True, appraised=True).first()
    if unit is None:
        raise ApiError(400, _("attribute[section]：没有这个科室，请按服务定义中的取值填写。"))
    return str(unit.id)


def _consent(source):
    value = param(source, "attribute[publish]")
    if value not in (None, "true", "false"):
        raise ApiError(400, _("attribute[publish] 只能是 true 或 false。"))
    return value == "true"


def filing_form(source, service, service_label):
    """(the filing form, validated, and the internal note); ApiError when anything is wrong."""
    note = _location(source)
    description = param(source, "description")
    data = MultiDict({
        "kind": service.kind.value, "topic": str(service.topic.id),
        "target_unit": _section_id(source),
        "title": _title(source, service_label, description),
        "content": source.get("description", ""), "name": _name(source),
        "phone": source.get("phone", ""), "email": source.get("email", ""),
    })
    if _consent(source):
        data["publish_consent"] = "y"
    form = build_case_form(ApiCaseForm, formdata=data)
    if not form.validate():
        raise ApiError(400, *[f"{PARAM_OF_FIELD.get(name, name)}: {message}"
                              for name, messages in form.errors.items() for message in messages])
    return form, note


def parse_w3c(name, text):
    if not W3C.match(text):
        raise ApiError(400, _("%(name)s 须为 W3C 格式的日期时间并带时区，如 2026-07-01T00:00:00Z。",
                              name=name))
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    # Years far out would overflow the 90-day arithmetic and the conversion to UTC.
    if moment is None or not 1900 <= moment.year <= 9000:
        raise ApiError(400, _("%(name)s 须为 W3C 格式的日期时间并带时区，如 2026-07-01T00:00:00Z。",
                              name=name))
    return moment


def _date_range(source, now):
    start, end = param(source, "start_date"), param(source, "end_date")
    start = parse_w3c("start_date", start) if start else None
    end = parse_w3c("end_date", end) if end else None
    if start is None and end is None:
        end = now
    if start is None:
        start = end - MAX_RANGE
    if end is None:
        end = start + MAX_RANGE
    if end < start:
        raise ApiError(400, _("end_date 不能早于 start_date。"))
    if end - start > MAX_RANGE:
        raise ApiError(400, _("start_date 与 end_date 相隔不能超过 90 天。"))
    return start, end


def _list(source, name):
    value = param(source, name)
    return None if value is None else [v.strip() for v in value.split(",") if v.strip()]


def list_filters(source, services, now):
    """Keyword arguments for services.open311.public_requests from the query string."""
    numbers = _list(source, "service_request_id")
    if numbers is not None:
        if len(numbers) > MAX_IDS:
            raise ApiError(400, _("service_request_id 一次最多 %(n)d 个。", n=MAX_IDS))
        return {"numbers": [normalize_number(n)[:32] for n in numbers]}
    start, end = _date_range(source, now)
    statuses = _list(source, "status")
    if statuses is not None and not set(statuses) <= {"open", "closed"}:
        raise ApiError(400, _("status 只能是 open 或 closed。"))
    codes = _list(source, "service_code")
    wanted = None
    if codes is not None:
        by_code = {s.code: (s.kind.value, s.topic.id) for s in services}
        by_code.update({k.value: (k.value, None) for k in Kind})
        wanted = [by_code[c] for c in codes if c in by_code]
    return {"start": start, "end": end, "statuses": statuses, "services": wanted}
