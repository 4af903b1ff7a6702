"""Accounts, sessions, API tokens and CSRF for the reviewer app.

Passwords are hashed with argon2; session cookies and API tokens are random secrets of
which only the sha256 is stored. Sign-in failures count per account and lock it for a
while after too many. Every function takes the SQLAlchemy session and the current time,
so tests control both; nothing here logs a secret or a password.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from docverify.web.config import WebConfig
from models.db.review_tables import ROLES, ApiTokenRow, AuditEventRow, UserRow, WebSessionRow

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not-a-password")


class AccountError(Exception):
    """A user command that cannot be carried out (unknown user, bad role...)."""


@dataclass(frozen=True)
class Principal:
    """Who is making a request, and how they proved it."""

    user_id: int
    username: str
    role: str
    session_id: int | None = None
    csrf_token: str | None = None
    """Set for browser sessions; API tokens need no CSRF token."""

    @property
    def is_supervisor(self) -> bool:
        """Supervisors see the dashboard and may take over claims."""
        return self.role == "supervisor"


def digest(secret: str) -> str:
    """The stored form of a session or API secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def add_user(db: Session, username: str, password: str, role: str) -> UserRow:
    """Create an account (argon2 hash of the password)."""
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if (
        not username
        or len(username) > 64
        or not username.replace("-", "").replace("_", "").replace(".", "").isalnum()
    ):
        raise AccountError("username must be 1-64 letters, digits, '.', '-' or '_'")
    if len(password) < 10:
        raise AccountError("password must have at least 10 characters")
    if db.scalar(select(UserRow).where(UserRow.username == username)) is not None:
        raise AccountError(f"user {username} already exists")
    user = UserRow(username=username, password_hash=_hasher.hash(password), role=role)
    db.add(user)
    db.add(
        AuditEventRow(actor="system", action="user.add", after={"username": username, "role": role})
    )
    db.flush()
    return user


def set_password(db: Session, user: UserRow, password: str) -> None:
    """Replace a user's password (and unlock the account)."""
    if len(password) < 10:
        raise AccountError("password must have at least 10 characters")
    user.password_hash = _hasher.hash(password)
    user.failed_attempts, user.locked_until, user.disabled = 0, None, False
    db.add(AuditEventRow(actor="system", action="user.password", after={"username": user.username}))


def disable_user(db: Session, username: str) -> None:
    """Disable an account and end its sessions and tokens."""
    user = db.scalar(select(UserRow).where(UserRow.username == username))
    if user is None:
        raise AccountError(f"no user {username}")
    user.disabled = True
    for row in db.scalars(select(WebSessionRow).where(WebSessionRow.user_id == user.id)):
        row.revoked = True
    for tok in db.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == user.id)):
        tok.revoked = True
    db.add(AuditEventRow(actor="system", action="user.disable", after={"username": username}))


def create_token(db: Session, username: str) -> str:
    """A new API token for the user (printed once; only its hash is stored)."""
    user = db.scalar(select(UserRow).where(UserRow.username == username))
    if user is None or user.disabled:
        raise AccountError(f"no active user {username}")
    secret = "dvt_" + secrets.token_urlsafe(32)
    db.add(ApiTokenRow(token_hash=digest(secret), user_id=user.id))
    db.add(AuditEventRow(actor="system", action="token.create", after={"username": username}))
    return secret


def authenticate(
    db: Session, username: str, password: str, now: dt.datetime, cfg: WebConfig
) -> UserRow | None:
    """The user if the password is right and the account usable; counts failures."""
    user = db.scalar(select(UserRow).where(UserRow.username == username))
    if user is None:
        _verify(_DUMMY_HASH, password)  # same cost whether or not the user exists
        return None
    if user.disabled or (user.locked_until and _aware(user.locked_until) > now):
        _verify(_DUMMY_HASH, password)
        return None
    if not _verify(user.password_hash, password):
        user.failed_attempts += 1
        if user.failed_attempts >= cfg.max_failed_logins:
            user.locked_until = now + dt.timedelta(minutes=cfg.lockout_minutes)
            user.failed_attempts = 0
            db.add(AuditEventRow(actor=user.username, action="user.locked", at=now))
        return None
    user.failed_attempts = 0
    user.locked_until = None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def open_session(db: Session, user: UserRow, now: dt.datetime, cfg: WebConfig) -> str:
    """Start a browser session; returns the cookie value."""
    secret = secrets.token_urlsafe(32)
    db.add(
        WebSessionRow(
            token_hash=digest(secret),
            user_id=user.id,
            csrf_token=secrets.token_urlsafe(24),
            created_at=now,
            expires_at=now + dt.timedelta(hours=cfg.session_hours),
        )
    )
    db.add(AuditEventRow(actor=user.username, action="user.sign_in", at=now))
    return secret


def session_principal(db: Session, cookie: str, now: dt.datetime) -> Principal | None:
    """Who holds this session cookie, if it is live."""
    row = db.scalar(select(WebSessionRow).where(WebSessionRow.token_hash == digest(cookie)))
    if row is None or row.revoked or _aware(row.expires_at) <= now:
        return None
    user = db.get(UserRow, row.user_id)
    if user is None or user.disabled:
        return None
    return Principal(
        user.id, user.username, user.role, session_id=row.id, csrf_token=row.csrf_token
    )


def token_principal(db: Session, token: str, now: dt.datetime) -> Principal | None:
    """Who holds this API token, if it is live."""
    row = db.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == digest(token)))
    if row is None or row.revoked:
        return None
    user = db.get(UserRow, row.user_id)
    if user is None or user.disabled:
        return None
    row.last_used_at = now
    return Principal(user.id, user.username, user.role)


def close_session(db: Session, principal: Principal) -> None:
    """Sign out: the session can no longer be used."""
    if principal.session_id is None:
        return
    row = db.get(WebSessionRow, principal.session_id)
    if row is not None:
        row.revoked = True
        db.add(AuditEventRow(actor=principal.username, action="user.sign_out"))


def csrf_ok(principal: Principal, supplied: str | None) -> bool:
    """True when the request may change state: token callers, or the session's CSRF token."""
    if principal.session_id is None:
        return True
    if not supplied or not principal.csrf_token:
        return False
    return hmac.compare_digest(principal.csrf_token, supplied)
