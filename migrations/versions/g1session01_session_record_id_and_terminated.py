"""sessions in learning records: a random id for statements, and when the session's end was
recorded (terminated), so it is recorded once

Revision ID: g1session01
Revises: f2records02
Create Date: 2026-12-01 11:30:00

"""
import uuid

from alembic import op
import sqlalchemy as sa

import elearn.db


# revision identifiers, used by Alembic.
revision = 'g1session01'
down_revision = 'f2records02'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('record_id', sa.String(length=36), nullable=True))
        batch_op.add_column(sa.Column('terminated_at', elearn.db.UTCDateTime(timezone=True), nullable=True))
    sessions = sa.table(
        'user_session',
        sa.column('id', sa.Integer()),
        sa.column('record_id', sa.String(36)),
        sa.column('ended_at', elearn.db.UTCDateTime(timezone=True)),
        sa.column('terminated_at', elearn.db.UTCDateTime(timezone=True)),
    )
    connection = op.get_bind()
    for (session_id,) in connection.execute(sa.select(sessions.c.id)).all():
        connection.execute(
            sessions.update().where(sessions.c.id == session_id).values(record_id=str(uuid.uuid4()))
        )
    # Sessions that ended before learning records knew of sessions are not recorded now.
    connection.execute(
        sessions.update()
        .where(sessions.c.ended_at.is_not(None))
        .values(terminated_at=sessions.c.ended_at)
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.alter_column('record_id', existing_type=sa.String(length=36), nullable=False)
        batch_op.create_index(batch_op.f('ix_user_session_record_id'), ['record_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_user_session_terminated_at'), ['terminated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_terminated_at'))
        batch_op.drop_index(batch_op.f('ix_user_session_record_id'))
        batch_op.drop_column('terminated_at')
        batch_op.drop_column('record_id')
