"""The administration blueprint: every page under ``/staff/admin`` is for the ``admin`` role only."""

from flask import Blueprint

from app.common.auth import require_roles

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")


@bp.before_request
@require_roles("admin")
def _admins_only():
    """Signed-out people are sent to the sign-in page; other roles get 403."""
    return None
