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
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('started_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('paused_seconds', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('state', sa.String(length=12), nullable=False, server_default='ok'))
        batch_op.add_column(sa.Column('risk_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('state_changed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('notified_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_deadlines_case_id'), ['case_id', 'kind', 'seq'])
        # the unique constraint starts with case_id: this index only cost every write
        batch_op.drop_index('ix_deadlines_case_id')
    # the sweep's UPDATEs: live clocks past due / past their at-risk moment (partial: only live clocks)
    op.create_index('ix_deadlines_live_due', 'deadlines', ['due_at'], unique=False,
                    postgresql_where=sa.text("state IN ('ok', 'at_risk')"),
                    sqlite_where=sa.text("state IN ('ok', 'at_risk')"))
    op.create_index('ix_deadlines_live_risk', 'deadlines', ['risk_at'], unique=False,
                    postgresql_where=sa.text("state = 'ok'"), sqlite_where=sa.text("state = 'ok'"))

    op.create_table(
        'case_sla',
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('service_slug', sa.String(length=80), nullable=False),
        sa.Column('manual_version', sa.Integer(), nullable=False),
        sa.Column('licence', sa.Boolean(), nullable=False),
        sa.Column('notice_basis', sa.String(length=40), nullable=False),
        sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('paused_total_seconds', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('division_code', sa.String(length=16), nullable=False),
        sa.Column('category_code', sa.String(length=32), nullable=True),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('first_report_due_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('first_reported_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('resolve_due_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('resolve_risk_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_sla_case_id_cases'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_sla')),
    )
    # covering (PostgreSQL): the SLA summary of a period is an index-only scan
    op.create_index('ix_case_sla_received_at', 'case_sla', ['received_at'], unique=False,
                    postgresql_include=['division_code', 'category_code', 'channel', 'first_report_due_at',
                                        'first_reported_at', 'resolve_due_at', 'resolve_risk_at', 'resolved_at'])
    op.create_table(
        'sla_calendar_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('day', name=op.f('pk_sla_calendar_days')),
    )
    op.create_table(
        'sla_business_hours',
        sa.Column('division_code', sa.String(length=16), nullable=False),
        sa.Column('opens', sa.String(length=5), nullable=False),
        sa.Column('closes', sa.String(length=5), nullable=False),
        sa.Column('breaks', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('division_code', name=op.f('pk_sla_business_hours')),
    )
    op.create_table(
        'sla_alerts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('deadline_id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('division_code', sa.String(length=16), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('clock', sa.String(length=24), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sweep_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['deadline_id'], ['deadlines.id'], name=op.f('fk_sla_alerts_deadline_id_deadlines'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sla_alerts')),
        sa.UniqueConstraint('deadline_id', 'kind', 'due_at', name=op.f('uq_sla_alerts_deadline_id')),
    )
    with op.batch_alter_table('sla_alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sla_alerts_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sla_alerts_sweep_at'), ['sweep_at'], unique=False)


def downgrade():
    op.drop_table('sla_alerts')
    op.drop_table('sla_business_hours')
    op.drop_table('sla_calendar_days')
    op.drop_table('case_sla')
    op.drop_index('ix_deadlines_live_risk', table_name='deadlines')
    op.drop_index('ix_deadlines_live_due', table_name='deadlines')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadlines_case_id', ['case_id'], unique=False)
        batch_op.drop_constraint(batch_op.f('uq_deadlines_case_id'), type_='unique')
        for col in ('escalated_at', 'notified_at', 'state_changed_at', 'risk_at', 'state', 'paused_seconds',
                    'started_at', 'seq'):
            batch_op.drop_column(col)
