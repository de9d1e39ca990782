"""The yardsticks, served the same way as the portal: a bare Flask route, and a bare route that
makes one durable INSERT and COMMIT (the ceiling for a filing, which must write at least that)."""

import os

from flask import Flask, request
from sqlalchemy import create_engine, text

DB = os.environ.get("BENCH_DATABASE_URL",
                    "postgresql+psycopg://postgres@127.0.0.1:5432/pingyi_bench")


def create_app():
    app = Flask(__name__)
    engine = None

    def insert():
        nonlocal engine
        engine = engine or create_engine(DB, pool_size=1)
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO bench_ceiling (body) VALUES (:body)"),
                         {"body": request.get_data(as_text=True)[:2000]})
        return "ok"

    app.add_url_rule("/", "bare", lambda: "ok")
    app.add_url_rule("/insert", "insert", insert, methods=["POST"])
    return app
