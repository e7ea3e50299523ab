"""case workflow, search index, accounts

Revision ID: 0004_case_workflow
Revises: 07160e786e2e
Create Date: 2026-11-22

"""
from alembic import op
import sqlalchemy as sa


revision = '0004_case_workflow'
down_revision = '07160e786e2e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.add_column(sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('first_reported_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('concluded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('outcome', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('assignee_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('referred_agency', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('reopen_count', sa.Integer(), nullable=False, server_default='0'))
        batch_op.create_foreign_key(batch_op.f('fk_cases_assignee_id_users'), 'users', ['assignee_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_cases_merged_into_id_cases'), 'cases', ['merged_into_id'], ['id'])
        batch_op.create_index(batch_op.f('ix_cases_district_code'), ['district_code'], unique=False)
    with op.batch_alter_table('complainants', schema=None) as batch_op:
        batch_op.add_column(sa.Column('line_user_id', sa.String(length=64), nullable=True))
    op.create_table(
        'case_search_terms',
        sa.Column('term', sa.String(length=60), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_search_terms_case_id_cases'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('term', 'case_id', name=op.f('pk_case_search_terms')),
    )
    with op.batch_alter_table('case_search_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_search_terms_case_id'), ['case_id'], unique=False)
    # contact-centre call log (app/console/models.py)
    op.create_table(
        'calls',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('agent_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=True),
        sa.Column('manual_slug', sa.String(length=80), nullable=True),
        sa.Column('question', sa.Text(), nullable=True),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.Column('case_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['agent_id'], ['users.id'], name=op.f('fk_calls_agent_id_users')),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_calls_case_id_cases')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calls')),
    )
    with op.batch_alter_table('calls', schema=None) as batch_op:
        for col in ('agent_id', 'phone', 'case_id', 'created_at'):
            batch_op.create_index(batch_op.f(f'ix_calls_{col}'), [col], unique=False)
    # administration log (app/admin/models.py)
    op.create_table(
        'admin_audit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_username', sa.String(length=80), nullable=False),
        sa.Column('entity', sa.String(length=32), nullable=False),
        sa.Column('entity_key', sa.String(length=80), nullable=False),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('old_values', sa.JSON(), nullable=True),
        sa.Column('new_values', sa.JSON(), nullable=True),
        sa.Column('ip', sa.String(length=45), nullable=True),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_admin_audit_actor_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_admin_audit')),
    )
    with op.batch_alter_table('admin_audit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_admin_audit_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_admin_audit_entity'), ['entity'], unique=False)


def downgrade():
    op.drop_table('admin_audit')
    op.drop_table('calls')
    op.drop_table('case_search_terms')
    with op.batch_alter_table('complainants', schema=None) as batch_op:
        batch_op.drop_column('line_user_id')
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_district_code'))
        batch_op.drop_constraint(batch_op.f('fk_cases_merged_into_id_cases'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_cases_assignee_id_users'), type_='foreignkey')
        for col in ('reopen_count', 'referred_agency', 'merged_into_id', 'assignee_id', 'outcome',
                    'concluded_at', 'first_reported_at', 'acknowledged_at'):
            batch_op.drop_column(col)
