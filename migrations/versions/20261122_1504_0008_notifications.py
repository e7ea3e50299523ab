"""notifications to citizens and officers

Revision ID: 0008_notifications
Revises: 0007_evidence
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_notifications'
down_revision = '0007_evidence'
branch_labels = None
depends_on = None


def upgrade():
    # a notification is claimed ("sending") before it is sent, and keeps its attempts, error and transport key
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('attempts', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reference', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('sent_at')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('reference')
        batch_op.drop_column('error')
        batch_op.drop_column('attempts')
        batch_op.drop_column('event_id')
