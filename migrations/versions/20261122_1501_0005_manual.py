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
    op.create_table(
        'manual_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=80), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('effective_date', sa.Date(), nullable=False),
        sa.Column('effective_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('search_text', sa.Text(), nullable=False),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_manual_versions')),
        sa.UniqueConstraint('slug', 'version', name=op.f('uq_manual_versions_slug_version')),
    )
    with op.batch_alter_table('manual_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_manual_versions_slug_effective_at'), ['slug', 'effective_at'],
                              unique=False)


def downgrade():
    op.drop_table('manual_versions')
