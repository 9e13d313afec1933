"""Accounts, roles and the audit log of a shared page (issue 23 item 2).

One SQLite file in chibo's data folder (`accounts.sqlite`, beside the store, created 0600) holds three tables:
the accounts (argon2id hashes, never a password), the failed logins of the last minutes (so the rate limit
survives a restart of `chibo serve`) and the audit log (append-only: SQLite triggers refuse to change or delete a
row). Plain `sqlite3`, one short connection per call: the page's threads never share one, and a write takes the
file's write lock at once (BEGIN IMMEDIATE) so two logins at the same moment queue instead of failing.

Until the first account exists the page is a single local user (bound to 127.0.0.1) who may see everything:
`may_see(None, ...)` is True. Words for the user are the catalogue's accounts area (chibo_rules/words/accounts.yaml,
Vietnamese and English), named by AccountError.key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import hashlib
import hmac
import os
import sqlite3
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..userdirs import data_folder
from ..words import Area, say

FILE_NAME = "accounts.sqlite"
MIN_PASSWORD = 10  # characters: a phrase a teacher can type on a phone, long enough not to be guessed online
MAX_FAILURES = 5  # failed logins allowed per name and per client within WINDOW_SECONDS; the next is refused
WINDOW_SECONDS = 15 * 60
BUSY_MS = 10_000  # how long a write waits for another process's write before failing

MESSAGES = Area("accounts")  # chibo_rules/words/accounts.yaml, {key: (vi, en)}


def words(key: str, lang: str, **params: Any) -> str:
    """The message `key` in `lang` ("en" or Vietnamese by default)."""
    return say(f"accounts.{key}", lang, **params)


class AccountError(Exception):
    """An account that cannot be made, changed or read: `key` names the message in MESSAGES, `params` fill it."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(words(key, "en", **params))
        self.key = key
        self.params = params

    def words(self, lang: str) -> str:
        return words(self.key, lang, **self.params)


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

    key = "too_many_attempts"

    def words(self, lang: str) -> str:
        return words(self.key, lang, max=MAX_FAILURES, minutes=WINDOW_SECONDS // 60)


def same(text: str) -> str:
    """A name as compared: Unicode NFC (a Vietnamese name typed on Windows and on a phone may differ in how its
    accents are encoded), spaces collapsed, case ignored."""
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def default_path(folder: Path | None = None) -> Path:
    """The accounts file: `accounts.sqlite` in `folder`, by default $CHIBO_DATA_DIR or chibo's data folder."""
    return (folder or Path(os.environ.get("CHIBO_DATA_DIR") or data_folder())) / FILE_NAME


_SCHEMA = """
CREATE TABLE IF NOT EXISTS accounts (
    key TEXT PRIMARY KEY,           -- same(name): names are unique whatever their case or accents' encoding
    name TEXT NOT NULL,
    hash TEXT NOT NULL,
    role TEXT NOT NULL,
    committee TEXT NOT NULL DEFAULT '',
    cell TEXT NOT NULL DEFAULT '',
    created TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS failures (name TEXT NOT NULL, client TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS failures_at ON failures (at);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    who TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    client TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


class _File:
    """The accounts file: created on first use (0600, schema), one connection per transaction."""

    def __init__(self, path: Path | None) -> None:
        self.path = path or default_path()
        self._ready = False

    def _prepare(self) -> None:
        if self._ready:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():  # hashes and names: readable by its owner only
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            with self._connect() as conn:
                conn.executescript(_SCHEMA)
        except OSError as exc:
            raise AccountError("accounts_unreadable", path=str(self.path), detail=exc.strerror or str(exc)) from None
        except sqlite3.DatabaseError as exc:  # damaged, or some other file
            raise AccountError("accounts_unreadable", path=str(self.path), detail=str(exc)) from None
        self._ready = True

    def _connect(self) -> contextlib.closing[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        return contextlib.closing(conn)

    @contextlib.contextmanager
    def transaction(self, write: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction, committed whole or rolled back; a damaged file is an AccountError naming it."""
        self._prepare()
        try:
            with self._connect() as conn:
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            raise AccountError("accounts_unreadable", path=str(self.path), detail=str(exc)) from None


def check_password(name: str, password: str) -> None:
    """Refuse a password that is empty, shorter than MIN_PASSWORD, the name itself or one repeated character."""
    if not password:
        raise AccountError("password_empty")
    if len(password) < MIN_PASSWORD:
        raise AccountError("password_short", min=MIN_PASSWORD)
    if same(password) == same(name):
        raise AccountError("password_is_name")
    if len(set(password)) == 1:
        raise AccountError("password_one_char")


def _check_scope(role: Role, committee: str, cell: str) -> None:
    if role is Role.SECRETARY and not (committee.strip() and cell.strip()):
        raise AccountError("secretary_needs_cell")
    if role is Role.COMMITTEE and not committee.strip():
        raise AccountError("committee_needs_committee")
    if role is Role.COMMITTEE and cell.strip():
        raise AccountError("committee_no_cell")
    if role is Role.ADMIN and (committee.strip() or cell.strip()):
        raise AccountError("admin_no_scope")


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise AccountError("role_unknown", role=str(value)) from None


def _account(row: sqlite3.Row | tuple) -> Account:
    name, role, committee, cell = row
    return Account(name, Role(role), committee, cell)


class Accounts:
    """The accounts file (SQLite in chibo's data folder, beside the store)."""

    def __init__(self, path: Path | None = None, hasher: PasswordHasher | None = None) -> None:
        self._file = _File(path)
        self.path = self._file.path
        self.hasher = hasher or PasswordHasher()  # argon2id, the library's current recommended parameters
        self._dummy_hash = ""

    def exists(self) -> bool:
        """Whether any account exists: serving beyond 127.0.0.1 is refused until one does. A missing file is no
        account (and is not created by asking)."""
        if not self.path.exists():
            return False
        with self._file.transaction() as conn:
            return conn.execute("SELECT 1 FROM accounts LIMIT 1").fetchone() is not None

    def add(self, name: str, password: str, role: Role | str, committee: str = "", cell: str = "", *,
            by: str = "", client: str = "") -> Account:
        """A new account; AccountError when the name is taken or empty, the password weak, or the role's
        committee/cell missing. `by`, `client`: who made it, from where ("" for the command line), for the audit
        log, written in the same transaction."""
        name, committee, cell = name.strip(), committee.strip(), cell.strip()
        if not name:
            raise AccountError("name_empty")
        role = _role(role)
        _check_scope(role, committee, cell)
        check_password(name, password)
        digest = self.hasher.hash(password)
        with self._file.transaction(write=True) as conn:
            if conn.execute("SELECT 1 FROM accounts WHERE key = ?", (same(name),)).fetchone():
                raise AccountError("name_taken", name=name)
            conn.execute("INSERT INTO accounts (key, name, hash, role, committee, cell, created) VALUES "
                         "(?, ?, ?, ?, ?, ?, ?)", (same(name), name, digest, role.value, committee, cell, _now()))
            scope = " / ".join(part for part in (committee, cell) if part)
            _audit(conn, by, "account_added", f"{name} ({role.value}{': ' + scope if scope else ''})", client)
        return Account(name, role, committee, cell)

    def get(self, name: str) -> Account | None:
        if not name or not self.path.exists():
            return None
        with self._file.transaction() as conn:
            row = conn.execute("SELECT name, role, committee, cell FROM accounts WHERE key = ?",
                               (same(name),)).fetchone()
        return _account(row) if row else None

    def stamp(self, name: str) -> str:
        """A short fingerprint of the account's password hash: a session remembers it, so changing the password
        logs out every session made with the old one. Empty when there is no such account."""
        found = self._with_hash(name)
        return _stamp(found[1]) if found else ""

    def current(self, name: str, stamp: str) -> Account | None:
        """The account of a session that logged in as `name` when its password's stamp was `stamp`: None when the
        account was removed or its password changed since (that session is over)."""
        found = self._with_hash(name)
        if found is None or not stamp or not hmac.compare_digest(_stamp(found[1]), stamp):
            return None
        return found[0]

    def _with_hash(self, name: str) -> tuple[Account, str] | None:
        if not name or not self.path.exists():
            return None
        with self._file.transaction() as conn:
            row = conn.execute("SELECT name, role, committee, cell, hash FROM accounts WHERE key = ?",
                               (same(name),)).fetchone()
        return (_account(row[:4]), row[4]) if row else None

    def all(self) -> list[Account]:
        if not self.path.exists():
            return []
        with self._file.transaction() as conn:
            rows = conn.execute("SELECT name, role, committee, cell FROM accounts ORDER BY key").fetchall()
        return [_account(row) for row in rows]

    def remove(self, name: str, *, by: str = "", client: str = "") -> None:
        """Remove the account: its sessions stop working at their next request (guard re-reads the account)."""
        with self._file.transaction(write=True) as conn:
            if conn.execute("DELETE FROM accounts WHERE key = ?", (same(name),)).rowcount == 0:
                raise AccountError("no_account", name=name)
            _audit(conn, by, "account_removed", name, client)

    def set_password(self, name: str, password: str, *, by: str = "", client: str = "") -> None:
        """A new password: every session made with the old one ends (guard compares the hash's stamp)."""
        account = self.get(name)
        if account is None:
            raise AccountError("no_account", name=name)
        check_password(account.name, password)
        digest = self.hasher.hash(password)
        with self._file.transaction(write=True) as conn:
            conn.execute("UPDATE accounts SET hash = ? WHERE key = ?", (digest, same(name)))
            _audit(conn, by, "password_changed", account.name, client)

    def verify(self, name: str, password: str, client: str) -> Account | None:
        """The account when the password matches; None otherwise. Raises TooManyAttempts when rate-limited:
        MAX_FAILURES failures for this name (from anywhere) or from this client (for any name) in the last
        WINDOW_SECONDS refuse the next attempt before any hash is computed, right password or not."""
        key, now = same(name), time.time()
        with self._file.transaction(write=True) as conn:
            conn.execute("DELETE FROM failures WHERE at < ?", (now - WINDOW_SECONDS,))
            by_name, by_client = conn.execute(
                "SELECT COALESCE(SUM(name = ?), 0), COALESCE(SUM(client = ?), 0) FROM failures WHERE at >= ?",
                (key, client, now - WINDOW_SECONDS)).fetchone()
            if by_name >= MAX_FAILURES or by_client >= MAX_FAILURES:
                raise TooManyAttempts(name)
            row = conn.execute("SELECT name, role, committee, cell, hash FROM accounts WHERE key = ?",
                               (key,)).fetchone()
        account, digest = (_account(row[:4]), row[4]) if row else (None, self._dummy)
        if self._matches(digest, password) and account is not None:
            self._after_success(key, client, digest, password)
            return account
        with self._file.transaction(write=True) as conn:
            conn.execute("INSERT INTO failures (name, client, at) VALUES (?, ?, ?)", (key, client, time.time()))
        return None

    @property
    def _dummy(self) -> str:
        """Verified against when a name has no account, so a wrong name costs as long as a wrong password (the
        login page must not tell which names exist)."""
        if not self._dummy_hash:
            self._dummy_hash = self.hasher.hash("chibo: no such account")
        return self._dummy_hash

    def _matches(self, digest: str, password: str) -> bool:
        try:
            return self.hasher.verify(digest, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _after_success(self, key: str, client: str, digest: str, password: str) -> None:
        """Forget this name's failures from this client, and rehash when the hasher's parameters changed."""
        with self._file.transaction(write=True) as conn:
            conn.execute("DELETE FROM failures WHERE name = ? AND client = ?", (key, client))
            if self.hasher.check_needs_rehash(digest):
                conn.execute("UPDATE accounts SET hash = ? WHERE key = ?", (self.hasher.hash(password), key))


def may_see(account: Account | None, committee: str, cell: str) -> bool:
    """Whether `account` may see (and hand in for) the cell `cell` of `committee`. None = the local single user.
    A secretary: exactly their committee and cell; a committee member: any cell of their committee; an
    administrator: every cell. Names compare as `same` does; an empty name in the cell's data matches nobody."""
    if account is None or account.role is Role.ADMIN:
        return True
    if not same(committee) or same(committee) != same(account.committee):
        return False
    if account.role is Role.COMMITTEE:
        return True
    return account.role is Role.SECRETARY and bool(same(cell)) and same(cell) == same(account.cell)


def _stamp(digest: str) -> str:
    return hashlib.sha256(digest.encode()).hexdigest()[:16]


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def _audit(conn: sqlite3.Connection, who: str, action: str, target: str, client: str) -> None:
    conn.execute("INSERT INTO audit (at, who, action, target, client) VALUES (?, ?, ?, ?, ?)",
                 (_now(), who, action, target, client))


@dataclass(frozen=True)
class AuditRow:
    at: str  # UTC, ISO 8601
    who: str  # the account's name; "" for the local single user or someone not logged in
    action: str  # login, login_failed, logout, hand_in, download, …
    target: str  # the cell, file or account acted on
    client: str  # the client's address as the server saw it (behind a proxy: its X-Forwarded-For)


class AuditLog:
    """Every hand-in, download, login and account change, appended (who, what, which cell or file, from where)."""

    def __init__(self, path: Path | None = None) -> None:
        self._file = _File(path)
        self.path = self._file.path

    def record(self, who: str, action: str, target: str, client: str) -> None:
        with self._file.transaction(write=True) as conn:
            _audit(conn, who, action, target, client)

    def read(self, reader: Account | None, limit: int = 1000, action: str | None = None) -> list[AuditRow]:
        """The newest `limit` rows (newest first), for an administrator or the local single user only."""
        if reader is not None and reader.role is not Role.ADMIN:
            raise AccountError("audit_admin_only")
        if not self.path.exists():
            return []
        query, params = "SELECT at, who, action, target, client FROM audit", []
        if action:
            query, params = query + " WHERE action = ?", [action]
        with self._file.transaction() as conn:
            rows = conn.execute(query + " ORDER BY id DESC LIMIT ?", (*params, limit)).fetchall()
        return [AuditRow(*row) for row in rows]
