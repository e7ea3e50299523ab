"""csat, exports, pdpa, open data

Revision ID: 0007_evidence
Revises: 0006_sla
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_evidence'
down_revision = '0006_sla'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
