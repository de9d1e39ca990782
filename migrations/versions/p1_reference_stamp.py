"""reference stamp: one token renewed whenever reference data changes

Revision ID: p1_reference_stamp
Revises: h8_inspection_records
Create Date: 2026-12-03 16:30:00.000000

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'p1_reference_stamp'
down_revision = 'h8_inspection_records'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'reference_stamp',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reference_stamp')),
    )
    op.bulk_insert(table, [{'id': 1, 'token': secrets.token_hex(16)}])


def downgrade():
    op.drop_table('reference_stamp')
