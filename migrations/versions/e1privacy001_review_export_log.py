"""review export log

Revision ID: e1privacy001
Revises: d1certificate
Create Date: 2026-12-01 02:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

import elearn.db


# revision identifiers, used by Alembic.
revision = 'e1privacy001'
down_revision = 'd1certificate'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('community_role', sa.String(length=32), nullable=True),
    sa.Column('refused', sa.Boolean(), nullable=False),
    sa.Column('created_at', elearn.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('quiz-items', 'survey-responses', 'page-feedback')", name=op.f('ck_review_export_kind')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_review_export_user_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_export'))
    )
    with op.batch_alter_table('review_export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_export_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_export_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('review_export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_export_user_id'))
        batch_op.drop_index(batch_op.f('ix_review_export_created_at'))
    op.drop_table('review_export')
