"""Staff accounts as an administrator manages them; every change goes to the administration log."""

from marshmallow import ValidationError
from sqlalchemy import func, or_, select

from app.accounts import services as accounts
from app.accounts.models import Role, User
from app.admin.audit import record_change, snapshot
from app.common.i18n import t
from app.common.models import utcnow
from app.errors import NotFound
from app.extensions import db
from app.routing.models import Division

FIELDS = ("username", "full_name", "email", "role", "active", "division_codes")


def get_user(user_id: int) -> User:
    """:raises NotFound: no such account."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def list_users(q: str = "", role: str = "", page: int = 1, per_page: int = 50) -> tuple[list[User], int]:
    query = select(User)
    if q:
        like = f"%{q.lower()}%"
        query = query.where(or_(func.lower(User.username).like(like), func.lower(User.full_name).like(like)))
    if role:
        query = query.where(User.role == role)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    users = db.session.scalars(query.order_by(User.username).limit(per_page).offset((page - 1) * per_page)).all()
    return users, total


def is_locked(user: User) -> bool:
    return bool(user.locked_until and user.locked_until > utcnow())


def _divisions(codes: list[str]) -> list[Division]:
    found = db.session.scalars(select(Division).where(Division.code.in_(codes))).all() if codes else []
    if len(found) != len(set(codes)):
        raise ValidationError({"divisions": [t("admin.division_unknown")]})
    return sorted(found, key=lambda d: d.code)


def _keep_an_admin(user: User, data: dict, actor: User) -> None:
    """Nobody may lock the administrators out: not of their own account, nor by removing the last admin."""
    losing_admin = user.role == Role.admin and user.active and (data["role"] != Role.admin or not data["active"])
    if not losing_admin:
        return
    if user.id == actor.id:
        raise ValidationError({"role": [t("admin.not_yourself")]})
    others = db.session.scalar(select(func.count(User.id)).where(
        User.role == Role.admin, User.active.is_(True), User.id != user.id))
    if not others:
        raise ValidationError({"role": [t("admin.last_admin")]})


def create_user(data: dict, actor: User) -> User:
    """:raises ValidationError: user name taken, unknown unit."""
    if db.session.scalar(select(User.id).where(User.username == data["username"])):
        raise ValidationError({"username": [t("admin.username_taken")]})
    user = User(username=data["username"], full_name=data["full_name"], email=data.get("email"),
                role=data["role"], active=data["active"], failed_logins=0)
    user.divisions = _divisions(data["divisions"])
    user.set_password(data["password"])
    db.session.add(user)
    db.session.flush()
    record_change("user", user.username, "create", None, snapshot(user, FIELDS), actor=actor)
    return user


def update_user(user: User, data: dict, actor: User) -> User:
    """:raises ValidationError: unknown unit, or the change would leave no administrator."""
    _keep_an_admin(user, data, actor)
    before = snapshot(user, FIELDS)
    user.divisions = _divisions(data["divisions"])
    user.full_name, user.email, user.role, user.active = (data["full_name"], data.get("email"), data["role"],
                                                          data["active"])
    db.session.flush()
    record_change("user", user.username, "update", before, snapshot(user, FIELDS), actor=actor)
    return user


def reset_password(user: User, password: str, actor: User) -> None:
    """Set a new password: the account's sessions and API tokens end, and a lockout is lifted."""
    accounts.set_password(user, password)
    db.session.flush()
    record_change("user", user.username, "reset_password", actor=actor)


def unlock_user(user: User, actor: User) -> None:
    before = {"locked_until": user.locked_until.isoformat() if user.locked_until else None,
              "failed_logins": user.failed_logins}
    user.failed_logins, user.locked_until = 0, None
    db.session.flush()
    record_change("user", user.username, "unlock", before, {"locked_until": None, "failed_logins": 0}, actor=actor)
