"""Published letters (信件公开) and campaign notices (宣传发动) for the public."""

from pathlib import Path

from flask import abort, current_app, render_template, request, send_file
from flask_babel import gettext as _

from models import KIND_LABELS, Kind, access, active_units, all_topics, utcnow
from models.notices import Notice, is_shown, shown_notices
from models.publication import PublishedLetter, is_published, letter_years, public_letters
from portal.abuse import uploads
from portal.abuse.form_filters import nfkc
from portal.public.views import bp
from portal.services.clock import local_date
from portal.web.ids import row_or_404

PER_PAGE = 20
MAX_PAGE = 10_000
MAX_WORDS = 50


def _whole(value, low, high):
    """A whole number in [low, high] typed by hand (full-width digits accepted), else None."""
    value = nfkc(value or "").strip()
    if not value.isascii() or not value.isdigit() or len(value) > 6:
        return None
    number = int(value)
    return number if low <= number <= high else None


def _letter_filters(args):
    """The filters of /letters as typed, what they mean, and the names of those not understood."""
    typed = {k: (args.get(k) or "")[:200] for k in ("unit", "kind", "topic", "year", "q", "page")}
    unit_ids = {u.id for u in active_units()}
    topic_ids = {t.id for t in all_topics()}
    meant = {
        "unit_id": _whole(typed["unit"], 1, 10**6),
        "kind": typed["kind"] if typed["kind"] in {k.value for k in Kind} else None,
        "topic_id": _whole(typed["topic"], 1, 10**6),
        "year": _whole(typed["year"], 2000, 2100),
        "page": _whole(typed["page"], 1, MAX_PAGE),
    }
    bad = [name for name, key in (("unit", "unit_id"), ("kind", "kind"), ("topic", "topic_id"),
                                  ("year", "year"), ("page", "page"))
           if typed[name] and meant[key] is None]
    if meant["unit_id"] is not None and meant["unit_id"] not in unit_ids:
        bad.append("unit")
    if meant["topic_id"] is not None and meant["topic_id"] not in topic_ids:
        bad.append("topic")
    words = typed["q"].strip()
    if len(words) > MAX_WORDS or any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in words):
        bad.append("q")
    return typed, meant, words, bad


@bp.get("/letters")
def letters():
    typed, meant, words, bad = _letter_filters(request.args)
    status, rows, more = 200, [], False
    if bad:
        status = 400
    else:
        rows, more = public_letters(unit_id=meant["unit_id"], kind=meant["kind"],
                                    topic_id=meant["topic_id"], year=meant["year"], words=words,
                                    page=meant["page"] or 1, per_page=PER_PAGE)
    page = meant["page"] or 1
    args = {k: v for k, v in typed.items() if v and k != "page"}
    return render_template("public/letters.html", rows=rows, more=more, page=page, args=args,
                           typed=typed, bad=bad, units=access.receiving_units(active_units()),
                           topics=all_topics(), kinds=KIND_LABELS, years=letter_years(),
                           max_words=MAX_WORDS), status


@bp.get("/letters/<int:letter_id>")
def letter(letter_id):
    item = row_or_404(PublishedLetter, letter_id)
    if not is_published(item):
        abort(404)
    return render_template("public/letter.html", letter=item)


@bp.get("/notices")
def notices():
    return render_template("public/notices.html", notices=shown_notices(local_date(utcnow())))


@bp.get("/notices/<int:notice_id>")
def notice(notice_id):
    return render_template("public/notice.html", notice=_shown_notice(notice_id))


def _shown_notice(notice_id):
    item = row_or_404(Notice, notice_id)
    if not is_shown(item, local_date(utcnow())):
        abort(404)
    return item


@bp.get("/notices/<int:notice_id>/files/<int:attachment_id>")
def notice_file(notice_id, attachment_id):
    item = _shown_notice(notice_id)
    attachment = next((a for a in item.attachments if a.id == attachment_id), None)
    if attachment is None:
        abort(404)
    path = Path(current_app.config["UPLOAD_FOLDER"]) / attachment.stored_name
    if not path.is_file():
        abort(404, _("附件已不存在。"))
    response = send_file(path, mimetype=attachment.mime, as_attachment=True)
    response.headers["Content-Disposition"] = uploads.content_disposition(
        attachment.original_name, attachment.mime)
    response.headers["Content-Security-Policy"] = "sandbox"
    return response
