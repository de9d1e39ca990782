"""questionnaire drafts (resume with the same code) and item weights of the composite score

Revision ID: m0_questionnaire_drafts
Revises: h3a0c1b2d3e4
Create Date: 2026-12-02 01:30:00.000000

"""
from alembic import op
import sqlalchemy as sa

import models.base


# revision identifiers, used by Alembic.
revision = 'm0_questionnaire_drafts'
down_revision = 'h3a0c1b2d3e4'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('questionnaire_draft',
    sa.Column('invitation_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('saved_at', models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'],
                            name=op.f('fk_questionnaire_draft_invitation_id_invitation')),
    sa.PrimaryKeyConstraint('invitation_id', name=op.f('pk_questionnaire_draft'))
    )
    with op.batch_alter_table('questionnaire', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_weights', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('questionnaire', schema=None) as batch_op:
        batch_op.drop_column('item_weights')
    op.drop_table('questionnaire_draft')
