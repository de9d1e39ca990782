"""The weight of each rated item (the overall rating and each topic) in the composite score
that ranks the units of one questionnaire; the office may change it until results are out."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange

from models import DomainError, Questionnaire, access, all_topics, db
from models.appraisal import item_weights
from portal.auth import staff_required
from portal.services import appraisal
from portal.staff.views import bp
from portal.web.errors import message
from portal.web.form_base import FlaskForm
from portal.web.language import current_lang


def weights_form(topics, current):
    class WeightsForm(FlaskForm):
        pass

    bounds = [InputRequired(_l("请填写 0 到 100 的整数。")),
              NumberRange(0, 100, message=_l("请填写 0 到 100 的整数。"))]
    WeightsForm.w_all = IntegerField(_l("总体评价"), default=current[None], validators=bounds)
    for t in topics:
        setattr(WeightsForm, f"w_{t.id}", IntegerField(
            t.display_name(current_lang()), default=current[t.id], validators=bounds))
    return WeightsForm()


@bp.route("/appraisal/<int:qid>/weights", methods=["GET", "POST"])
@staff_required(*access.OFFICE_ROLES)
def item_weights_page(qid):
    q = db.session.get(Questionnaire, qid) or abort(404)
    topics = all_topics()
    form = weights_form(topics, item_weights(q, topics))
    if form.validate_on_submit():
        chosen = {None: form.w_all.data} | {t.id: form[f"w_{t.id}"].data for t in topics}
        try:
            appraisal.set_item_weights(questionnaire=q, weights=chosen)
        except DomainError as exc:
            form.w_all.errors = [message(exc)]
        else:
            flash(_("已保存“%(title)s”的排名权重。", title=q.title), "success")
            return redirect(url_for("staff.results", qid=q.id))
    status = 400 if request.method == "POST" else 200
    return render_template("staff/weights.html", q=q, form=form, topics=topics), status
