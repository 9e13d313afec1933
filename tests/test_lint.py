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


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy comes with pip install -e '.[test]'")
def test_mypy_is_clean(tmp_path_factory):
    """The package type-checks (config in pyproject.toml): annotations the next reader can trust. mypy's cache lives
    in a folder of the test run, so a run never reads a cache another checkout wrote."""
    cache = tmp_path_factory.mktemp("mypy-cache")
    out = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(cache)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
