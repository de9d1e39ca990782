"""Web-only extensions, created once and bound to an app in ``create_app``."""

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect


def client_address():
    """The peer address; ProxyFix (only when configured) makes this the real client."""
    return request.remote_addr or "127.0.0.1"


csrf = CSRFProtect()
limiter = Limiter(key_func=client_address)
babel = Babel()
migrate = Migrate()
login_manager = LoginManager()
