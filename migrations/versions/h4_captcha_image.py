"""captcha picture kept beside its answer, drawn once per challenge

Revision ID: h4_captcha_image
Revises: p1_reference_stamp
Create Date: 2026-12-03 16:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h4_captcha_image'
down_revision = 'p1_reference_stamp'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('captcha_challenge', schema=None) as batch_op:
        batch_op.add_column(sa.Column('image', sa.LargeBinary(), nullable=True))


def downgrade():
    with op.batch_alter_table('captcha_challenge', schema=None) as batch_op:
        batch_op.drop_column('image')
