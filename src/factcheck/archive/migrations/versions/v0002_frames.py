"""Each fact keeps the original line(s) of its figure, for the code frame of a conflict found later.

Articles indexed before have no frames: their rows were made by an older factcheck (records.FACTS_FORMAT
"1"), so `factcheck check --archive` says so and `factcheck index` reads them again.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("factcheck_claims", sa.Column("frame", sa.Text))


def downgrade() -> None:
    op.drop_column("factcheck_claims", "frame")
