"""Opening a store: where it is, the connection's settings, its schema version, and failures as words.

SQLite by default (one file in the user's data folder, `--store PATH` or $CHIBO_STORE), PostgreSQL for a
committee's shared server (`--store postgresql://…`), through the same SQLAlchemy Core code. SQLite runs in
WAL mode (readers never block the writer) with a busy timeout, and every write transaction starts with
BEGIN IMMEDIATE, so two processes saving at once queue instead of failing half-way. The schema is Alembic's
(migrations/): an older store is upgraded when opened, a store written by a newer chibo is refused.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from ..userdirs import data_folder

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# seconds a writer waits for another to finish before the store is said to be locked ($CHIBO_STORE_TIMEOUT)
DEFAULT_TIMEOUT = 60.0


class StoreError(Exception):
    """A store that cannot be used: `code` names the message (store/messages.py), `detail` fills it."""

    def __init__(self, code: str, detail: str = "", **values: str):
        super().__init__(f"{code}: {detail}")
        self.code, self.detail, self.values = code, detail, values


def default_location() -> Path:
    """The user's data folder: %LOCALAPPDATA%\\chibo on Windows, ~/Library/Application Support/chibo on macOS,
    $XDG_DATA_HOME/chibo (~/.local/share/chibo) elsewhere."""
    return data_folder() / "chibo.sqlite3"


def resolve(given: str | None) -> str:
    """--store, else $CHIBO_STORE, else the default file: a SQLAlchemy URL."""
    value = given or os.environ.get("CHIBO_STORE") or str(default_location())
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if "://" in value:
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def shown(url: str) -> str:
    """The store as said to the user: the file, or the server without its password."""
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///"):]
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _timeout() -> float:
    try:
        return float(os.environ.get("CHIBO_STORE_TIMEOUT", DEFAULT_TIMEOUT))
    except ValueError:
        return DEFAULT_TIMEOUT


def _sqlite_engine(url: str) -> Engine:
    path = Path(url[len("sqlite:///"):])
    if path.is_dir():
        raise StoreError("store_is_folder", str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError("store_unreachable", f"{path.parent}: {exc.strerror or exc}") from None
    engine = create_engine(url, connect_args={"timeout": _timeout()})

    @event.listens_for(engine, "connect")
    def _connect(dbapi, _record) -> None:  # noqa: ANN001 - SQLAlchemy's hook
        dbapi.isolation_level = None  # chibo says when a transaction begins (below), not pysqlite
        cursor = dbapi.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(_timeout() * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # a writer takes the write lock at once: two writers queue (busy timeout) instead of deadlocking
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")

    return engine


@dataclass
class Store:
    """An open store: its engine and its address as the user knows it."""

    engine: Engine
    url: str

    @property
    def where(self) -> str:
        return shown(self.url)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: committed whole, or rolled back whole on any error."""
        with failures(self.url), self.engine.connect() as conn:
            conn.execution_options(write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with failures(self.url), self.engine.connect() as conn, conn.begin():
            yield conn

    def close(self) -> None:
        self.engine.dispose()


@contextmanager
def failures(url: str) -> Iterator[None]:
    """A database error as a StoreError naming the store: locked, corrupt, unreachable."""
    try:
        yield
    except StoreError:
        raise
    except SQLAlchemyError as exc:
        raise _as_store_error(exc, url) from None
    except OSError as exc:
        raise StoreError("store_unreachable", f"{shown(url)}: {exc.strerror or exc}") from None


def _as_store_error(exc: SQLAlchemyError, url: str) -> StoreError:
    message = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    lowered = message.lower()
    if "locked" in lowered or "busy" in lowered:
        return StoreError("store_locked", shown(url))
    if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
        return StoreError("store_corrupt", shown(url))
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        return StoreError("store_unreachable", f"{shown(url)}: {message}")
    return StoreError("store_failed", f"{shown(url)}: {message}")


def _alembic_config(conn: Connection):  # noqa: ANN202 - alembic's Config, imported lazily
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = conn
    return cfg


def known_revisions() -> tuple[list[str], str]:
    """Every schema revision this chibo knows, and its newest."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(cfg)
    return [r.revision for r in script.walk_revisions()], script.get_current_head() or ""


def open_store(given: str | None = None, upgrade_to: str = "head", create: bool = True) -> Store:
    """Open (creating or upgrading) the store: refused when a newer chibo wrote it, or it is not a store.
    `create` False: a missing SQLite file is an error (reading history never leaves an empty store behind).
    `upgrade_to`: a revision, for tests that make an old store."""
    url = resolve(given)
    if not create and url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        raise StoreError("store_missing", shown(url))
    if url.startswith("sqlite:///"):
        engine = _sqlite_engine(url)
    elif url.startswith("postgresql"):
        try:
            engine = create_engine(url)
        except ImportError:  # psycopg: the [postgres] extra
            raise StoreError("store_missing_library", "psycopg") from None
        except SQLAlchemyError as exc:
            raise StoreError("store_failed", f"{shown(url)}: {exc}") from None
    else:
        raise StoreError("store_scheme", url.split("://", 1)[0])
    store = Store(engine, url)
    try:
        _migrate(store, upgrade_to)
    except BaseException:
        engine.dispose()
        raise
    return store


def _migrate(store: Store, upgrade_to: str) -> None:
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    known, head = known_revisions()
    with store.write() as conn:
        if conn.dialect.name == "postgresql":  # two first-time openers must not both create the tables
            conn.execute(text("SELECT pg_advisory_xact_lock(2022)"))
        current = MigrationContext.configure(conn).get_current_revision()
        if current is not None and current not in known:
            raise StoreError("store_newer", store.where, revision=current, head=head)
        if current is None and inspect(conn).get_table_names():
            raise StoreError("store_foreign", store.where)
        if current != (head if upgrade_to == "head" else upgrade_to):
            command.upgrade(_alembic_config(conn), upgrade_to)


def revision(store: Store) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with store.read() as conn:
        return MigrationContext.configure(conn).get_current_revision()
