"""published letters (信件公开) with their log, campaign notices with attachments

Revision ID: h5a0letters_notices
Revises: h4_a1b2c3d4e5f6
Create Date: 2026-12-02 01:15:00.000000

"""
from alembic import op
import sqlalchemy as sa

import models.base


# revision identifiers, used by Alembic.
revision = 'h5a0letters_notices'
down_revision = 'h4_a1b2c3d4e5f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'published_letter',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=100), nullable=False),
        sa.Column('question', sa.Text(), nullable=False),
        sa.Column('answer', sa.Text(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('topic_id', sa.Integer(), nullable=True),
        sa.Column('received_on', sa.Date(), nullable=False),
        sa.Column('replied_on', sa.Date(), nullable=True),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('rating', sa.String(length=20), nullable=True),
        sa.Column('prepared_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('published_at', models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_published_letter_case_id_case')),
        sa.ForeignKeyConstraint(['topic_id'], ['topic.id'], name=op.f('fk_published_letter_topic_id_topic')),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_published_letter_unit_id_unit')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_published_letter')),
        sa.UniqueConstraint('case_id', name=op.f('uq_published_letter_case_id')),
    )
    op.create_index('ix_published_letter_state_published', 'published_letter',
                    ['state', 'published_at'], unique=False)
    op.create_table(
        'letter_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('letter_id', sa.Integer(), nullable=False),
        sa.Column('at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['staff_user.id'], name=op.f('fk_letter_log_actor_id_staff_user')),
        sa.ForeignKeyConstraint(['letter_id'], ['published_letter.id'], name=op.f('fk_letter_log_letter_id_published_letter')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_letter_log')),
    )
    op.create_index(op.f('ix_letter_log_letter_id'), 'letter_log', ['letter_id'], unique=False)
    op.create_table(
        'notice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=100), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('dated_on', sa.Date(), nullable=False),
        sa.Column('withdrawn', sa.Boolean(), nullable=False),
        sa.Column('created_at', models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['staff_user.id'], name=op.f('fk_notice_created_by_id_staff_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice')),
    )
    op.create_index(op.f('ix_notice_dated_on'), 'notice', ['dated_on'], unique=False)
    op.create_table(
        'notice_attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('notice_id', sa.Integer(), nullable=False),
        sa.Column('stored_name', sa.String(length=64), nullable=False),
        sa.Column('original_name', sa.String(length=200), nullable=False),
        sa.Column('mime', sa.String(length=50), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['notice_id'], ['notice.id'], name=op.f('fk_notice_attachment_notice_id_notice')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notice_attachment')),
        sa.UniqueConstraint('stored_name', name=op.f('uq_notice_attachment_stored_name')),
    )
    op.create_index(op.f('ix_notice_attachment_notice_id'), 'notice_attachment', ['notice_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_notice_attachment_notice_id'), table_name='notice_attachment')
    op.drop_table('notice_attachment')
    op.drop_index(op.f('ix_notice_dated_on'), table_name='notice')
    op.drop_table('notice')
    op.drop_index(op.f('ix_letter_log_letter_id'), table_name='letter_log')
    op.drop_table('letter_log')
    op.drop_index('ix_published_letter_state_published', table_name='published_letter')
    op.drop_table('published_letter')
