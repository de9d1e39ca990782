"""The yardstick: a bare Flask app with one route, served the same way as the portal."""

from flask import Flask


def create_app():
    app = Flask(__name__)
    app.add_url_rule("/", "bare", lambda: "ok")
    return app
