"""sla engine: calendar, clocks, escalation

Revision ID: 0006_sla
Revises: 0005_manual
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


revision = '0006_sla'
down_revision = '0005_manual'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
