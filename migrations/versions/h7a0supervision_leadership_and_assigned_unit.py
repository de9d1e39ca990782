"""leadership-group flag on staff accounts; the unit an assignment event sent the case to

Revision ID: h7a0supervision
Revises: h6a0ledgersearch
Create Date: 2026-12-02 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h7a0supervision'
down_revision = 'h6a0ledgersearch'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('leadership', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unit_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_case_event_unit_id_unit'), 'unit',
                                    ['unit_id'], ['id'])


def downgrade():
    with op.batch_alter_table('case_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_case_event_unit_id_unit'), type_='foreignkey')
        batch_op.drop_column('unit_id')
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_column('leadership')
