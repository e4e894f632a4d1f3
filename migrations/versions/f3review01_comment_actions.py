"""comments acted on, with the revision that acted on them

Revision ID: f3review01
Revises: f2records01
Create Date: 2026-12-01 04:40:00.000000

"""
from alembic import op
import sqlalchemy as sa

import elearn.db


# revision identifiers, used by Alembic.
revision = 'f3review01'
down_revision = 'f2records01'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_comment_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('page_feedback_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', elearn.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['page_feedback_id'], ['page_feedback.id'], name=op.f('fk_review_comment_action_page_feedback_id_page_feedback'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['revision_id'], ['content_revision.id'], name=op.f('fk_review_comment_action_revision_id_content_revision')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_review_comment_action_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_comment_action')),
    sa.UniqueConstraint('page_feedback_id', name=op.f('uq_review_comment_action_page_feedback_id'))
    )
    with op.batch_alter_table('review_comment_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_comment_action_revision_id'), ['revision_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_comment_action_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('review_comment_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_comment_action_user_id'))
        batch_op.drop_index(batch_op.f('ix_review_comment_action_revision_id'))
    op.drop_table('review_comment_action')
