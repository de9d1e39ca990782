"""The site's icon at /favicon.ico, where browsers, feed readers and bookmarks look for it
without reading the page (pages also link static/favicon.svg). Without this route every first
visit logged a 404."""

from flask import Blueprint, current_app

from portal.extensions import limiter

bp = Blueprint("site_icon", __name__)


@bp.get("/favicon.ico")
@limiter.exempt
def favicon():
    # Flask's static sending: the file's ETag and Last-Modified, "no-cache" as for the styles
    # (revalidated, not refetched), and our security headers but no "no-store".
    return current_app.send_static_file("favicon.ico")
