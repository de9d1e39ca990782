"""Open311 API: partner keys (stored hashed) and the key and token of each API filing

Revision ID: h4_a1b2c3d4e5f6
Revises: m0_questionnaire_drafts
Create Date: 2026-12-02 01:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import models.base


# revision identifiers, used by Alembic.
revision = 'h4_a1b2c3d4e5f6'
down_revision = 'm0_questionnaire_drafts'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'api_key',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('key_prefix', sa.String(length=8), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.Column('trusted_to_relay_code', sa.Boolean(), nullable=False),
        sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('rotated_at', models.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_key')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_api_key_key_hash')),
    )
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('api_key_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('api_token', sa.String(length=32), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_case_api_key_id_api_key'), 'api_key',
                                    ['api_key_id'], ['id'])
        batch_op.create_unique_constraint(batch_op.f('uq_case_api_token'), ['api_token'])


def downgrade():
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_case_api_token'), type_='unique')
        batch_op.drop_constraint(batch_op.f('fk_case_api_key_id_api_key'), type_='foreignkey')
        batch_op.drop_column('api_token')
        batch_op.drop_column('api_key_id')
    op.drop_table('api_key')
