"""citizen manual versions

Revision ID: 0005_manual
Revises: 0004_case_workflow
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


revision = '0005_manual'
down_revision = '0004_case_workflow'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
