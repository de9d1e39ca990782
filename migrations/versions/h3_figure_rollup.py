"""roll-up of the report figures by unit and day (PostgreSQL), covering index of unanswered cases

Revision ID: h3_figure_rollup
Revises: h6_extension_pending_index
Create Date: 2026-12-03 16:45:00.000000

"""
from alembic import op

from models import figure_rollup

# revision identifiers, used by Alembic.
revision = 'h3_figure_rollup'
down_revision = 'h6_extension_pending_index'
branch_labels = None
depends_on = None


def upgrade():
    # SQLite computes the figures directly: nothing to create there.
    if op.get_bind().dialect.name != "postgresql":
        return
    # The same statements create_all runs (models/figure_rollup.py), so tests and production
    # read views of one definition; the views are filled here, so the first refresh can be
    # CONCURRENTLY.
    for sql in figure_rollup.create_statements():
        op.execute(sql)


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    for sql in figure_rollup.drop_statements():
        op.execute(sql)
