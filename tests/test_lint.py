"""ruff over the package, tools and tests, as part of the suite (config in pyproject.toml)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.skipif(importlib.util.find_spec("ruff") is None, reason="ruff comes with pip install -e '.[test]'")
def test_ruff_is_clean():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "chibo_rules", "tools", "tests"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
