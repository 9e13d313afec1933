"""The user's own folders for chibo, in one place: plans kept without telling chibo, the store of judged
cells, the plan cache. Each platform's convention; nothing here creates a folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def data_folder(roaming: bool = False) -> Path:
    """chibo's data folder: on Windows %APPDATA%\\chibo when it should follow the user between machines (their
    own plans) and %LOCALAPPDATA%\\chibo otherwise (a database); ~/Library/Application Support/chibo on macOS;
    $XDG_DATA_HOME/chibo (~/.local/share/chibo) elsewhere."""
    if sys.platform == "win32":
        name, fallback = ("APPDATA", "Roaming") if roaming else ("LOCALAPPDATA", "Local")
        base = Path(os.environ.get(name) or Path.home() / "AppData" / fallback)
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "chibo"


def cache_folder() -> Path:
    """What chibo can rebuild at any time: %LOCALAPPDATA%\\chibo\\cache on Windows, $XDG_CACHE_HOME/chibo
    (~/.cache/chibo) elsewhere."""
    if sys.platform == "win32":
        return data_folder() / "cache"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "chibo"
