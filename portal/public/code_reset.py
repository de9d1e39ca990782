"""忘记查询码: a citizen asks for a new query code, mailed to the address given at filing."""

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l

from models import utcnow
from portal.abuse import captcha, mail_quota
from portal.extensions import client_address, limiter
from portal.public.forms import CodeResetForm
from portal.public.limits import number_key
from portal.public.views import bp
from portal.services import query_codes

# The one answer, matched or not: it must not tell a stranger whether the pair is on file.
SENT = _l("如果受理编号和电子邮箱与提交时填写的一致，新的查询码已发送到该邮箱，原查询码随即停止使用。"
          "没有填写邮箱的事项，请拨打投诉电话办理。")


def _page(form, status=200, done=False):
    form.captcha.data = ""
    if current_app.config["CAPTCHA_ENABLED"]:
        form.captcha_id.data = captcha.issue()
    return render_template("public/code_reset.html", form=form, done=done), status


@bp.route("/track/forgot", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["CODE_RESET_LIMIT_PER_CLIENT"], methods=["POST"],
               key_func=client_address, scope="code-reset-client")
def forgot_code():
    form = CodeResetForm()
    if request.method == "GET" and request.args.get("number"):
        form.number.data = request.args["number"][:32]
    if not form.validate_on_submit():
        return _page(form, 400 if request.method == "POST" else 200)
    quotas = (("CODE_RESET_MAILS_PER_NUMBER", number_key(form.number.data)),
              ("CODE_RESET_MAILS_PER_EMAIL", form.email.data.strip().lower()[:254]))
    if mail_quota.room_for(*quotas) and query_codes.reissue_code(
            number=form.number.data, email=form.email.data, now=utcnow()):
        mail_quota.charge(*quotas)
    return _page(CodeResetForm(formdata=None), 200, done=True)
