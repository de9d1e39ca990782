"""captcha challenge bound to the session that got it

Revision ID: h3a0c1b2d3e4
Revises: h1a0outboxretry
Create Date: 2026-12-01 22:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h3a0c1b2d3e4'
down_revision = 'h1a0outboxretry'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('captcha_challenge', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_tag', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('captcha_challenge', schema=None) as batch_op:
        batch_op.drop_column('session_tag')
