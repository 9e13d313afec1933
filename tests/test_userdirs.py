"""The user's folders (chibo_rules/userdirs.py): one place decides them for the plans, the store and the cache."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from chibo_rules import userdirs
from chibo_rules.facts import plancache
from chibo_rules.jobs.plans import user_plans_folder
from chibo_rules.store.db import default_location


@pytest.fixture()
def home(tmp_path, monkeypatch):
    for name in ("APPDATA", "LOCALAPPDATA", "XDG_DATA_HOME", "XDG_CACHE_HOME", "CHIBO_CACHE_DIR", "CHIBO_CACHE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    return tmp_path


def test_linux(home, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert user_plans_folder() == home / ".local" / "share" / "chibo" / "plans"
    assert default_location() == home / ".local" / "share" / "chibo" / "chibo.sqlite3"
    assert plancache.folder() == home / ".cache" / "chibo"
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "d"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "c"))
    assert user_plans_folder() == home / "d" / "chibo" / "plans" and plancache.folder() == home / "c" / "chibo"


def test_windows_plans_roam_and_the_store_and_cache_stay_local(home, monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(home / "Roaming"))
    monkeypatch.setenv("LOCALAPPDATA", str(home / "Local"))
    assert user_plans_folder() == home / "Roaming" / "chibo" / "plans"
    assert default_location() == home / "Local" / "chibo" / "chibo.sqlite3"
    assert plancache.folder() == home / "Local" / "chibo" / "cache"


def test_macos(home, monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert userdirs.data_folder() == home / "Library" / "Application Support" / "chibo"
    assert user_plans_folder() == userdirs.data_folder() / "plans"
