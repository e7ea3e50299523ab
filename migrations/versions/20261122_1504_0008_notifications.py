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
    pass


def downgrade():
    pass
