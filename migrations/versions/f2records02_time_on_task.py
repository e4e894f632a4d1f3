"""records: time on task per page (seconds, and up to when it was counted)

Revision ID: f2records02
Revises: f3review01
Create Date: 2026-12-01 05:30:00

"""
from alembic import op
import sqlalchemy as sa

import elearn.db


# revision identifiers, used by Alembic.
revision = 'f2records02'
down_revision = 'f3review01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('page_progress', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seconds_on_task', sa.Float(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('timed_until', elearn.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('page_progress', schema=None) as batch_op:
        batch_op.drop_column('timed_until')
        batch_op.drop_column('seconds_on_task')
