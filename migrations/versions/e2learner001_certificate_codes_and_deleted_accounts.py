"""certificate verification codes; deleted accounts

Revision ID: e2learner001
Revises: e1privacy001
Create Date: 2026-12-01 02:20:00.000000

Certificates get a random verification code. The old serial was sent to the Learning Record
Store, so it is never shown again; certificates issued before this migration get a fresh code.
Accounts get ``deleted_at``: set when a learner (or an admin for them) deletes the account.
"""
import secrets

from alembic import op
import sqlalchemy as sa

import elearn.db


# revision identifiers, used by Alembic.
revision = 'e2learner001'
down_revision = 'e1privacy001'
branch_labels = None
depends_on = None

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _code() -> str:
    letters = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return "-".join(letters[i : i + 4] for i in range(0, 12, 4))


def upgrade():
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verification_code', sa.String(length=32), nullable=True))
    connection = op.get_bind()
    certificate = sa.table('certificate', sa.column('id', sa.Integer), sa.column('verification_code', sa.String))
    for (certificate_id,) in connection.execute(sa.select(certificate.c.id)).all():
        connection.execute(
            certificate.update().where(certificate.c.id == certificate_id).values(verification_code=_code())
        )
    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.alter_column('verification_code', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_certificate_verification_code'), ['verification_code'])

    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', elearn.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')

    with op.batch_alter_table('certificate', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_certificate_verification_code'), type_='unique')
        batch_op.drop_column('verification_code')
