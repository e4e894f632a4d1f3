"""content drafts: edited source, base revision, version counter, problems

Revision ID: f1editor01
Revises: e3accounts02
Create Date: 2026-12-01 04:40:00

"""
from alembic import op
import sqlalchemy as sa

import elearn.db


# revision identifiers, used by Alembic.
revision = 'f1editor01'
down_revision = 'e3accounts02'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('content_revision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('base_revision_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('version', sa.Integer(), nullable=False, server_default='1')
        )
        batch_op.add_column(
            sa.Column('problems', sa.Text(), nullable=False, server_default='[]')
        )
        batch_op.add_column(
            sa.Column('updated_at', elearn.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column('updated_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_content_revision_base_revision_id_content_revision'),
            'content_revision', ['base_revision_id'], ['id'],
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_content_revision_updated_by_id_user_account'),
            'user_account', ['updated_by_id'], ['id'],
        )


def downgrade():
    with op.batch_alter_table('content_revision', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_content_revision_updated_by_id_user_account'), type_='foreignkey'
        )
        batch_op.drop_constraint(
            batch_op.f('fk_content_revision_base_revision_id_content_revision'),
            type_='foreignkey',
        )
        batch_op.drop_column('updated_by_id')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('problems')
        batch_op.drop_column('version')
        batch_op.drop_column('base_revision_id')
        batch_op.drop_column('source')
