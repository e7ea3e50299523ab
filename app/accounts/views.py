"""Staff authentication endpoints."""

from flask import Blueprint

from app.accounts import services
from app.accounts.schemas import TokenIn, TokenOut
from app.common.db import commit
from app.common.http import json_body
from app.extensions import limiter

bp = Blueprint("accounts", __name__)


@bp.post("/api/v1/auth/token")
@limiter.limit("10/minute")
def issue_token():
    data = TokenIn().load(json_body())
    user = services.authenticate(data["username"], data["password"])
    token, row = services.issue_token(user)
    out = TokenOut().dump({"token": token, "expires_at": row.expires_at, "role": user.role,
                           "username": user.username})
    commit()
    return out, 201
