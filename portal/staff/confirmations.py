"""What the page says after a step: what was done, in words ("已分办至用地规划科"), not only
"saved"."""

from flask_babel import gettext as _

from models.supervision import urge_count
from portal.web.language import current_lang


def _unit(case):
    return case.unit.display_name(current_lang()) if case.unit else "—"


def _date(day):
    return f"{day:%Y-%m-%d}" if day else "—"


def _accepted(case, form):
    if form.unit.data:
        return _("已受理，并分办至%(unit)s。", unit=_unit(case))
    return _("已受理，答复期限 %(date)s。", date=_date(case.due_on))


def _reply(case, form):
    if form.submit_for_approval.data:
        return _("答复已提交科室负责人审核。")
    return _("答复草稿已保存。")


def _extension(case, form):
    if form.decision.data == "approve":
        return _("已同意延期，新的答复期限 %(date)s。", date=_date(case.due_on))
    return _("已不同意延期，答复期限不变。")


MESSAGES = {
    "accept": _accepted,
    "refuse": lambda case, form: _("已作不予受理处理，说明已告知群众。"),
    "assign": lambda case, form: _("已分办至%(unit)s。", unit=_unit(case)),
    "sign": lambda case, form: _("已签收，承办人：%(name)s。",
                                 name=case.handler.name if case.handler else "—"),
    "return": lambda case, form: _("已退回评议办。"),
    "start": lambda case, form: _("已开始办理。"),
    "reply": _reply,
    "approve": lambda case, form: _("答复已审核通过，等待评议办发布。"),
    "send_back": lambda case, form: _("答复已退回修改。"),
    "release": lambda case, form: _("答复已发布，群众现在可以查看。"),
    "reopen": lambda case, form: _("已交回%(unit)s重办，新的答复期限 %(date)s。",
                                   unit=_unit(case), date=_date(case.due_on)),
    "close": lambda case, form: _("已办结。"),
    "note": lambda case, form: _("内部备注已记入办理经过。"),
    "handler": lambda case, form: _("已指定承办人：%(name)s。",
                                    name=case.handler.name if case.handler else "—"),
    "extension": lambda case, form: _("延期申请已提交评议办审批。"),
    "extension_decision": _extension,
    "urge": lambda case, form: _("已催办（第 %(n)d 次），已通知%(unit)s负责人和承办人。",
                                 n=urge_count(case.events), unit=_unit(case)),
}


def done_message(action, case, form):
    return MESSAGES[action](case, form)
