"""Commands for operators and cron: each calls one service and prints one summary."""

import click

from models import DomainError, utcnow
from models.outbox import MAX_ATTEMPTS
from portal.services import accounts, api_keys, demo, mail, rating, statistics
from portal.services.clock import local_date


def register(app):
    @app.cli.command("seed-demo")
    def seed_demo():
        """Load the demo bureau, topics, campaign and staff (once; prints passwords once)."""
        accounts_made = demo.seed_demo(today=local_date(utcnow()))
        if not accounts_made:
            click.echo("Demo data already present; nothing changed.")
            return
        click.echo("Demo staff accounts (shown only now):")
        for username, role, password in accounts_made:
            click.echo(f"  {username:<22} {role:<8} {password}")

    @app.cli.command("send-mail")
    def send_mail():
        """Deliver queued e-mail (cron: every few minutes). A failed message is retried on a
        later run after a growing wait; one that failed every attempt is counted here."""
        sent, failed = mail.send_pending(now=utcnow())
        line = f"sent {sent}, failed {failed}"
        given_up = mail.given_up()
        if given_up:
            line += f"; {given_up} given up after {MAX_ATTEMPTS} attempts (see outbox last_error)"
        click.echo(line)

    @app.cli.command("daily")
    def daily():
        """Close replies left unrated past the window and queue the due-soon digest (cron:
        once each morning; running it twice changes nothing)."""
        now = utcnow()
        closed = rating.close_unrated(now=now)
        queued = mail.queue_digest(now=now)
        click.echo(f"closed {closed} unrated, queued {queued} digests")

    @app.cli.command("refresh-stats")
    def refresh_stats():
        """Recompute the public statistics (cron: every 5 minutes; pages read the result)."""
        figures = statistics.refresh_public_stats(now=utcnow())
        click.echo(f"statistics for {len(figures)} units")

    @app.cli.command("create-staff")
    @click.argument("username")
    @click.option("--name", required=True)
    @click.option("--role", type=click.Choice(["admin", "office", "leader", "handler"]),
                  required=True)
    @click.option("--unit", "unit_code", default=None, help="unit code, for leaders and handlers")
    @click.option("--email", default="")
    @click.password_option()
    def create_staff(username, name, role, unit_code, email, password):
        """Create a staff account."""
        try:
            user = accounts.create_staff(username=username, name=name, role=role,
                                         unit_code=unit_code, email=email, password=password)
        except DomainError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"created {user.username} ({user.role})")

    register_api_key_commands(app)


def register_api_key_commands(app):
    @app.cli.group("api-key")
    def api_key():
        """Partner keys of the Open311 API (the administrator's page does the same)."""

    @api_key.command("create")
    @click.argument("name")
    @click.option("--trusted", is_flag=True, help="the partner may hand the query code on")
    def create_api_key(name, trusted):
        """Create a key for partner NAME and print it once (only its digest is stored)."""
        try:
            key, secret = api_keys.create_api_key(name=name, trusted_to_relay_code=trusted,
                                                  now=utcnow())
        except DomainError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"api key {key.id} for {key.name} (shown only now):")
        click.echo(secret)
