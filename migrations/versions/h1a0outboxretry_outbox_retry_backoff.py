"""outbox: when a failed message may be tried again (exponential backoff)

Revision ID: h1a0outboxretry
Revises: 864940274cd4
Create Date: 2026-12-01 22:00:00

"""
from alembic import op
import sqlalchemy as sa

import models.base


# revision identifiers, used by Alembic.
revision = 'h1a0outboxretry'
down_revision = '864940274cd4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', models.base.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_column('next_attempt_at')
