"""label rate choice: which carrier rate a label was booked at, and why

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
    op.add_column("shipping_labels", sa.Column("rate", json, nullable=True))


def downgrade() -> None:
    op.drop_column("shipping_labels", "rate")
