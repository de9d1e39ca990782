"""Commands for operators and cron: each calls one service and prints one summary."""

import click

from models import utcnow

from .services import demo
from .services.clock import local_date


def register(app):
    @app.cli.command("seed-demo")
    def seed_demo():
        """Load the demo bureau, topics, campaign and staff (once; prints passwords once)."""
        accounts = demo.seed_demo(today=local_date(utcnow()))
        if not accounts:
            click.echo("Demo data already present; nothing changed.")
            return
        click.echo("Demo staff accounts (shown only now):")
        for username, role, password in accounts:
            click.echo(f"  {username:<22} {role:<8} {password}")
