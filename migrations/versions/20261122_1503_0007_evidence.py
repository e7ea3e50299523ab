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
    op.create_table(
        'case_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('source', sa.String(length=12), nullable=False),
        sa.Column('recorded_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_feedback_case_id_cases')),
        sa.ForeignKeyConstraint(['recorded_by'], ['users.id'], name=op.f('fk_case_feedback_recorded_by_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_feedback')),
        sa.UniqueConstraint('case_id', name=op.f('uq_case_feedback_case_id')),
    )
    op.create_table(
        'export_logs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('format', sa.String(length=8), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('via', sa.String(length=8), nullable=False),
        sa.Column('period_from', sa.Date(), nullable=True),
        sa.Column('period_to', sa.Date(), nullable=True),
        sa.Column('chain_seq', sa.Integer(), nullable=False),
        sa.Column('chain_hash', sa.String(length=64), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=True),
        sa.Column('rows_sha256', sa.String(length=64), nullable=True),
        sa.Column('file_sha256', sa.String(length=64), nullable=True),
        sa.Column('path', sa.String(length=300), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('job_run_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_export_logs_actor_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_export_logs')),
    )
    with op.batch_alter_table('export_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_logs_file_sha256'), ['file_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_logs_kind'), ['kind'], unique=False)
    op.create_table(
        'open_data_snapshots',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('content_csv', sa.Text(), nullable=False),
        sa.Column('content_json', sa.Text(), nullable=False),
        sa.Column('catalog_json', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_open_data_snapshots')),
    )
    with op.batch_alter_table('open_data_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_open_data_snapshots_name'), ['name'], unique=False)


def downgrade():
    with op.batch_alter_table('open_data_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_open_data_snapshots_name'))
    op.drop_table('open_data_snapshots')
    with op.batch_alter_table('export_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_logs_kind'))
        batch_op.drop_index(batch_op.f('ix_export_logs_file_sha256'))
    op.drop_table('export_logs')
    op.drop_table('case_feedback')
