"""What the API publishes: one service per kind and topic, their definitions, and a case as a
service request with public fields only (never contact details, never a misconduct report)."""

from datetime import datetime, time
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from flask_babel import gettext as _

from models import KIND_LABELS, Kind, Status, access, active_units, all_topics, time_limits
from models.publication import published_description
from models.workflow import UNANSWERED, citizen_label
from portal.web.language import current_lang

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-02 00:00"  # the date the services or their definitions last changed
PUBLISH_VALUES = ("true", "false")


class Service(NamedTuple):
    kind: Kind
    topic: object  # a Topic row

    @property
    def code(self):
        return service_code(self.kind.value, self.topic.code)


def service_code(kind, topic_code):
    """``complaint-style``: the kind and the topic; a case without a topic has its kind only."""
    return f"{kind}-{topic_code}" if topic_code else kind


def service_name(kind, topic):
    kind_label = _(KIND_LABELS[Kind(kind)])
    if topic is None:
        return kind_label
    return _("%(kind)s：%(topic)s", kind=kind_label, topic=topic.display_name(current_lang()))


def all_services():
    return [Service(kind, topic) for kind in Kind for topic in all_topics()]


def find_service(code):
    return next((s for s in all_services() if s.code == code), None)


def services():
    limits, lang = time_limits(), current_lang()
    return [{
        "service_code": s.code,
        "service_name": service_name(s.kind, s.topic),
        "description": _("%(kind)s，评议内容为“%(topic)s”。%(days)d 个工作日内答复。",
                         kind=_(KIND_LABELS[s.kind]), topic=s.topic.display_name(lang),
                         days=limits[s.kind.value]),
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join([_(KIND_LABELS[s.kind]), s.topic.display_name(lang), s.kind.value,
                               s.topic.code]),
        "group": _(KIND_LABELS[s.kind]),
    } for s in all_services()]


def _attribute(code, datatype, order, description, values=None):
    return {"variable": True, "code": code, "datatype": datatype, "required": False,
            "datatype_description": None, "order": order, "description": description,
            "values": values or []}


def definition(service):
    """The optional fields a filing may add: a title, the section concerned, consent."""
    lang = current_lang()
    sections = [{"key": u.code, "name": u.display_name(lang)}
                for u in access.receiving_units(active_units())]
    consent = [{"key": "true", "name": _("同意在隐去个人信息后公开本件及答复")},
               {"key": "false", "name": _("不同意公开")}]
    return {"service_code": service.code, "attributes": [
        _attribute("title", "string", 1, _("标题，5 至 50 个字；不填则取内容的第一行。")),
        _attribute("section", "singlevaluelist", 2, _("涉及科室；不确定可不填。"), sections),
        _attribute("publish", "singlevaluelist", 3, _("是否同意公开；不填即不同意。"), consent),
    ]}


def discovery():
    return {
        "changeset": CHANGESET,
        "contact": current_app.config["OPEN311_CONTACT"] or _("热线电话：%(hotline)s",
                                                              hotline=current_app.config["PORTAL_HOTLINE"]),
        "key_service": _("API 密钥由系统管理员发放，请与评议办联系。"),
        "endpoints": [{
            "specification": SPECIFICATION,
            "url": current_app.config["PORTAL_BASE_URL"].rstrip("/") + url_for("open311.index"),
            "changeset": CHANGESET,
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }],
    }


def w3c(moment):
    """ISO 8601 with the bureau's offset, as the spec asks: 2026-07-01T10:00:00+08:00."""
    zone = ZoneInfo(current_app.config["PORTAL_TIMEZONE"])
    return moment.astimezone(zone).isoformat(timespec="seconds")


def _end_of(day):
    zone = ZoneInfo(current_app.config["PORTAL_TIMEZONE"])
    return w3c(datetime.combine(day, time(23, 59, 59), tzinfo=zone))


def service_request(case, updated_at):
    """The public fields of one case; contact details and the citizen's text stay out."""
    is_open = Status(case.status) in UNANSWERED
    topic_code = case.topic.code if case.topic else None
    item = {
        "service_request_id": case.number,
        "status": "open" if is_open else "closed",
        "status_notes": _(citizen_label(case.status)),
        "service_name": service_name(case.kind, case.topic),
        "service_code": service_code(case.kind, topic_code),
    }
    description = published_description(case)
    if description is not None:
        item["description"] = description
    item.update({
        "agency_responsible": case.unit.display_name(current_lang()) if case.unit else None,
        "requested_datetime": w3c(case.received_at),
        "updated_datetime": w3c(updated_at or case.received_at),
        "expected_datetime": _end_of(case.due_on) if is_open and case.due_on else None,
    })
    return item


def receipt(case, query_code=None):
    """The answer to a filing: the tracking number and token, and the query code only for a
    partner trusted to hand it to the citizen."""
    item = {"service_request_id": case.number, "token": case.api_token,
            "service_notice": _("已收到，将在 %(day)s 前决定是否受理。",
                                day=case.accept_due_on.isoformat()),
            "account_id": None}
    if query_code is not None:
        item["query_code"] = query_code
    return item
