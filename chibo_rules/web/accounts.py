"""Accounts, roles and the audit log of a shared page (issue 23 item 2).

INTERFACE STUB: the names and signatures below are what app.py and guard.py use. Until accounts exist the page
is a single local user (bound to 127.0.0.1) who may see everything: `may_see(None, ...)` is True.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path


class Role(str, enum.Enum):
    SECRETARY = "secretary"  # sees and hands in only their own cell (committee + cell)
    COMMITTEE = "committee"  # sees every cell of their committee
    ADMIN = "admin"  # manages accounts, sees everything


@dataclass(frozen=True)
class Account:
    name: str
    role: Role
    committee: str = ""
    cell: str = ""


class TooManyAttempts(Exception):
    """Too many failed logins from one client or for one name in the window: refused before any hash is checked."""


class Accounts:
    """The accounts file (SQLite in chibo's data folder, beside the store)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def exists(self) -> bool:
        """Whether any account exists: serving beyond 127.0.0.1 is refused until one does."""
        return False

    def add(self, name: str, password: str, role: Role, committee: str = "", cell: str = "") -> Account:
        raise NotImplementedError

    def verify(self, name: str, password: str, client: str) -> Account | None:
        """The account when the password matches; None otherwise. Raises TooManyAttempts when rate-limited."""
        raise NotImplementedError

    def get(self, name: str) -> Account | None:
        return None


def may_see(account: Account | None, committee: str, cell: str) -> bool:
    """Whether `account` may see (and hand in for) the cell `cell` of `committee`. None = the local single user."""
    return account is None


class AuditLog:
    """Every hand-in, download, login and account change, appended (who, what, which cell or file, from where)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def record(self, who: str, action: str, target: str, client: str) -> None:
        return None
