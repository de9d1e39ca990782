"""The application factory: a table of contents of the app."""

from werkzeug.middleware.proxy_fix import ProxyFix

import config as config_module
from portal import cli
from portal.db_ping import ping_when_idle
from portal.extensions import babel, csrf, limiter, login_manager, migrate
from portal.web import (
    cookie_session,
    errors,
    headers,
    health,
    ids,
    pathguard,
    request_log,
    site_icon,
    templating,
)
from portal.web.application import PortalFlask
from portal.web.language import current_lang


def create_app(config=None):
    app = PortalFlask(__name__, instance_relative_config=True)
    app.config.from_object(config or config_module.load_config())
    config_module.check_form_showings(app.config)
    if app.config["ENV_NAME"] == "production":
        config_module.check_production(app.config)
    register_extensions(app)
    cookie_session.register(app)
    pathguard.register(app)
    request_log.register(app)  # after pathguard: its hook runs first, so every answer has an id
    ids.register(app)  # before the blueprints, whose rules take their converters when added
    register_blueprints(app)
    errors.register(app)
    headers.register(app)
    templating.register(app)
    cli.register(app)
    if app.config["PROXY_FIX_X_FOR"]:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1)
    return app


def register_extensions(app):
    from models import db

    db.init_app(app)
    if not app.config["SQLALCHEMY_ENGINE_OPTIONS"].get("pool_pre_ping"):
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                ping_when_idle(db.engine, app.config["DB_PING_IDLE_SECONDS"])
    migrate.init_app(app, db, directory=str(config_module.ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=current_lang)
    templating.cache_template_gettext(app)  # after Babel, which installs its own
    login_manager.init_app(app)


def register_blueprints(app):
    from portal import auth  # noqa: F401  (registers the login manager's user loader)
    from portal.api import bp as open311_bp
    from portal.public import bp as public_bp
    from portal.staff import bp as staff_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(site_icon.bp)
    app.register_blueprint(open311_bp)
