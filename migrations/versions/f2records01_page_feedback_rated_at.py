"""records: when a page's "helpful?" answer was last given (to void it when it changes)

Revision ID: f2records01
Revises: f1editor01
Create Date: 2026-12-01 04:30:00

"""
from alembic import op
import sqlalchemy as sa

import elearn.db


# revision identifiers, used by Alembic.
revision = 'f2records01'
down_revision = 'f1editor01'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('page_feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rated_at', elearn.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('page_feedback', schema=None) as batch_op:
        batch_op.drop_column('rated_at')
