"""ledger: office review, "conditions not ripe", evidence files; staff search trigram index

Revision ID: h6a0ledgersearch
Revises: h5a0letters_notices
Create Date: 2026-12-02 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

from models.base import UTCDateTime


# revision identifiers, used by Alembic.
revision = 'h6a0ledgersearch'
down_revision = 'h5a0letters_notices'
branch_labels = None
depends_on = None

SEARCH_INDEX = 'ix_case_search_trgm'
SEARCH_COLUMNS = ('title', 'content', 'name', 'phone_digits')
# models/case_search.py's PAIRS_INDEX_SQL as it was when this revision was written, kept as text
# so that a later change to the model cannot change what this revision built.
PAIRS_INDEX_SQL = (
    'CREATE INDEX ix_case_search_pairs ON "case" USING gin '
    "((regexp_replace(title || ' ' || name, '(.)', '\\1\\1', 'g')) gin_trgm_ops)"
)


def upgrade():
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviewed_at', UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('unripe_plan', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('unripe_reason', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_problem_reviewed_by_id_staff_user'),
                                    'staff_user', ['reviewed_by_id'], ['id'])
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.alter_column('unripe_plan', server_default=None)
        batch_op.alter_column('unripe_reason', server_default=None)
    # Commitments entered before the review step existed were already public: they stay so.
    op.execute("UPDATE problem SET reviewed_at = created_at")
    op.create_table(
        'evidence_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('problem_id', sa.Integer(), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False),
        sa.Column('original_name', sa.String(length=200), nullable=False),
        sa.Column('mime', sa.String(length=50), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('added_at', UTCDateTime(), nullable=False),
        sa.Column('added_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['added_by_id'], ['staff_user.id'],
                                name=op.f('fk_evidence_file_added_by_id_staff_user')),
        sa.ForeignKeyConstraint(['problem_id'], ['problem.id'],
                                name=op.f('fk_evidence_file_problem_id_problem')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence_file')),
        sa.UniqueConstraint('stored_name', name=op.f('uq_evidence_file_stored_name')),
    )
    with op.batch_alter_table('evidence_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_file_problem_id'), ['problem_id'],
                              unique=False)
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone_digits', sa.String(length=30), nullable=False,
                                      server_default=''))
    postgres = op.get_bind().dialect.name == 'postgresql'
    op.execute("UPDATE \"case\" SET phone_digits = regexp_replace(phone, '[^0-9]', '', 'g')"
               if postgres else
               "UPDATE \"case\" SET phone_digits = replace(replace(replace(replace(replace("
               "phone, ' ', ''), '-', ''), '+', ''), '(', ''), ')', '')")
    if postgres:
        # Trigrams serve LIKE '%…%' on Chinese text too (the C.UTF-8 and zh locales count CJK
        # characters as letters); SQLite scans, which is fine at its scale.
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        columns = ', '.join(f'{c} gin_trgm_ops' for c in SEARCH_COLUMNS)
        op.execute(f'CREATE INDEX {SEARCH_INDEX} ON "case" USING gin ({columns})')
        # Two-character words and names, which trigrams cannot serve (models/case_search.py).
        op.execute(PAIRS_INDEX_SQL)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f'DROP INDEX IF EXISTS {SEARCH_INDEX}')
        op.execute('DROP INDEX IF EXISTS ix_case_search_pairs')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_column('phone_digits')
    with op.batch_alter_table('evidence_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_file_problem_id'))
    op.drop_table('evidence_file')
    with op.batch_alter_table('problem', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_problem_reviewed_by_id_staff_user'),
                                 type_='foreignkey')
        batch_op.drop_column('unripe_reason')
        batch_op.drop_column('unripe_plan')
        batch_op.drop_column('reviewed_by_id')
        batch_op.drop_column('reviewed_at')
