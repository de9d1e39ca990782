"""staff search: statistics target 1000 on the searched columns, so the planner guesses well

Revision ID: h5_search_statistics
Revises: h3_figure_rollup
Create Date: 2026-12-03 17:10:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'h5_search_statistics'
down_revision = 'h3_figure_rollup'
branch_labels = None
depends_on = None

# models/case_search.py's statements as they were when this revision was written, kept as text
# so that a later change to the model cannot change what this revision did.
STATISTICS_TARGET = 1000
STATISTICS_SQL = (
    'ALTER TABLE "case" ALTER title SET STATISTICS 1000, ALTER name SET STATISTICS 1000, '
    'ALTER content SET STATISTICS 1000',
    'ALTER INDEX ix_case_search_pairs ALTER COLUMN 1 SET STATISTICS 1000',
)


def upgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return  # SQLite scans; it has no statistics target
    for sql in STATISTICS_SQL:
        op.execute(sql)
    # The new target counts only from the next ANALYZE (about 30 s at a million cases).
    op.execute('ANALYZE "case"')


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    for sql in STATISTICS_SQL:
        op.execute(sql.replace(f'SET STATISTICS {STATISTICS_TARGET}', 'SET STATISTICS -1'))
    op.execute('ANALYZE "case"')
