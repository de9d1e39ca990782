"""deploy/: the systemd timers run commands the app has, and the environment template names
only settings config.py reads."""

import re
from pathlib import Path

import config

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"


def test_each_timer_runs_an_existing_flask_command(app):
    timers = sorted(p.name for p in (DEPLOY / "systemd").glob("*.timer"))
    assert timers == ["pingyi-task@daily.timer", "pingyi-task@refresh-stats.timer",
                      "pingyi-task@send-mail.timer"]
    service = (DEPLOY / "systemd" / "pingyi-task@.service").read_text()
    assert "ExecStart=/srv/pingyi/.venv/bin/flask %i\n" in service
    for timer in timers:
        command = re.fullmatch(r"pingyi-task@(.+)\.timer", timer).group(1)
        assert command in app.cli.commands


def test_the_environment_template_names_only_known_settings():
    names = re.findall(r"^([A-Z_]+)=", (DEPLOY / "pingyi.env.example").read_text(), re.M)
    source = (Path(config.__file__)).read_text() + (DEPLOY.parent / "gunicorn.conf.py").read_text()
    assert [n for n in names if f'"{n}"' not in source] == []
    assert {"SECRET_KEY", "DATABASE_URL", "PROXY_FIX_X_FOR", "PORTAL_BASE_URL"} <= set(names)
