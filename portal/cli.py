"""Commands for operators and cron: each calls one service and prints one summary."""

import click
from flask import current_app

from models import DomainError, utcnow
from models.outbox import MAX_ATTEMPTS
from portal.services import (
    accounts,
    api_keys,
    backup,
    demo,
    mail,
    rating,
    retention,
    statistics,
    supervision,
)
from portal.services.clock import local_date


def register(app):
    register_backup_commands(app)
    register_retention_commands(app)

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
        """Close replies left unrated past the window, queue the due-soon digest and the
        leadership group's escalation digest (cron: once each morning; running it twice
        changes nothing)."""
        now = utcnow()
        closed = rating.close_unrated(now=now)
        queued = mail.queue_digest(now=now)
        escalations = supervision.queue_escalation_digest(now=now)
        click.echo(f"closed {closed} unrated, queued {queued} digests, "
                   f"{escalations} escalation digests")

    @app.cli.command("refresh-stats")
    def refresh_stats():
        """Refresh the roll-up of the report figures and recompute the public statistics (cron:
        every 5 minutes; pages read the result)."""
        figures = statistics.refresh_public_stats(now=utcnow())
        click.echo(f"statistics for {len(figures) - 1} units")  # and the bureau's totals

    @app.cli.command("create-staff")
    @click.argument("username")
    @click.option("--name", required=True)
    @click.option("--role", type=click.Choice(["admin", "office", "leader", "handler"]),
                  required=True)
    @click.option("--unit", "unit_code", default=None, help="unit code, for leaders and handlers")
    @click.option("--email", default="")
    @click.option("--leadership", is_flag=True,
                  help="member of the leadership group: escalation list and digest")
    @click.password_option()
    def create_staff(username, name, role, unit_code, email, leadership, password):
        """Create a staff account."""
        try:
            user = accounts.create_staff(username=username, name=name, role=role,
                                         unit_code=unit_code, email=email, password=password,
                                         leadership=leadership)
        except DomainError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"created {user.username} ({user.role})")

    register_api_key_commands(app)


def _storage():
    config = current_app.config
    return {"database_url": config["SQLALCHEMY_DATABASE_URI"],
            "upload_folder": config["UPLOAD_FOLDER"]}


def register_backup_commands(app):
    @app.cli.command("backup")
    @click.argument("directory", type=click.Path(file_okay=False))
    def backup_command(directory):
        """Write a snapshot (database dump, uploads, manifest of SHA-256) into DIRECTORY, which
        must be new or empty."""
        try:
            manifest = backup.backup(directory, now=utcnow(), **_storage())
        except DomainError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"backed up the {manifest['database']} database and "
                   f"{len(manifest['files'])} files to {directory}")

    @app.cli.command("restore")
    @click.argument("directory", type=click.Path(exists=True, file_okay=False))
    def restore_command(directory):
        """Load the snapshot in DIRECTORY into an empty database and an empty upload folder."""
        try:
            manifest = backup.restore(directory, **_storage())
        except DomainError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"restored the {manifest['database']} database and "
                   f"{len(manifest['files'])} files from {directory}")

    @app.cli.command("check-files")
    def check_files():
        """List attachment rows without a file and files without a row; exit 1 if any."""
        missing, orphans = backup.check_files(current_app.config["UPLOAD_FOLDER"])
        for name in missing:
            click.echo(f"row without file: {name}")
        for name in orphans:
            click.echo(f"file without row: {name}")
        click.echo(f"{len(missing)} rows without a file, {len(orphans)} files without a row")
        if missing or orphans:
            raise SystemExit(1)


def register_retention_commands(app):
    @app.cli.command("purge-personal-data")
    @click.option("--apply", is_flag=True, help="erase; without it, only list what would go")
    def purge_personal_data(apply):
        """Erase contact details and attachments of cases finished longer ago than
        PERSONAL_DATA_RETENTION_DAYS (the case text and history stay). A dry run by default."""
        days = current_app.config["PERSONAL_DATA_RETENTION_DAYS"]
        erased = retention.purge_personal_data(
            now=utcnow(), retention_days=days, apply=apply,
            upload_folder=current_app.config["UPLOAD_FOLDER"])
        verb = "erased" if apply else "would erase"
        for e in erased:
            fields = ", ".join(e.fields) or "no contact details"
            click.echo(f"{e.number} finished {e.finished_at:%Y-%m-%d}: {verb} {fields}; "
                       f"{e.attachments} attachments")
        click.echo(f"{len(erased)} cases {'purged' if apply else 'due'} "
                   f"(retention {days} days){'' if apply else '; run with --apply to erase'}")


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
