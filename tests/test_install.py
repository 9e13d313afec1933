"""chibo as people install it: a wheel carries the bundled plans and the shared library, and a chibo installed
from it (not editable) checks an example from another folder; the package lists every subpackage."""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import venv

import tomllib

from .conftest import ROOT


def test_every_subpackage_is_in_the_wheel():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "chibo_rules").rglob("__init__.py")}
    assert found | {"chibo_rules.plans"} == listed
    assert config["tool"]["setuptools"]["package-dir"]["chibo_rules.plans"] == "rules"


def test_a_wheel_install_checks_the_example_from_another_folder(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", wheels,
                    ROOT], check=True, capture_output=True, timeout=300)
    wheel, = wheels.glob("chibo-*.whl")
    fresh = tmp_path / "venv"
    venv.create(fresh, with_pip=False)
    python = fresh / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps", wheel],
                   check=True, capture_output=True, timeout=300)
    # the dependencies (pydantic, rich, typer, durable-rules…) come from the test environment: a .pth after the
    # fresh venv's own site-packages, which holds chibo from the wheel (the checkout's editable install is not
    # seen: .pth files of a directory added this way are not run)
    own = next((fresh / "lib").glob("python3.*/site-packages"))
    (own / "deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(ROOT / "cases" / "vbn1-2020", elsewhere / "ho-so")
    run = subprocess.run([fresh / "bin" / "chibo", "check", "ho-so", "--lang", "en"], capture_output=True, text=True,
                         cwd=elsewhere, timeout=300)
    assert run.returncode == 1, run.stdout + run.stderr  # the example's six gaps
    assert "48 requirements: 38 passed, 6 gaps" in run.stdout
    located = subprocess.run([python, "-c", "import chibo_rules; print(chibo_rules.__file__)"], capture_output=True,
                             text=True, cwd=elsewhere, timeout=60).stdout
    assert str(own) in located and str(ROOT) not in located
    version = subprocess.run([fresh / "bin" / "chibo", "--version"], capture_output=True, text=True, cwd=elsewhere,
                             timeout=60)
    assert version.returncode == 0 and "vbn1-2020" in version.stdout and str(own) in version.stdout
    tests = subprocess.run([fresh / "bin" / "chibo", "rules", "test"], capture_output=True, text=True,
                           cwd=elsewhere, timeout=600)
    assert tests.returncode == 0, tests.stdout[-2000:]


def test_without_durable_rules_the_oracle_judges_and_every_output_says_why(tmp_path):
    """As on Python 3.13 or a Windows machine without a C compiler: durable-rules cannot be imported."""
    block = (
        "import sys, importlib.abc\n"
        "class NoDurable(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path, target=None):\n"
        "        if name.split('.')[0] == 'durable':\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, NoDurable())\n"
        "sys.argv = ['chibo'] + sys.argv[1:]\n"
        "from chibo_rules.cli import main\n"
        "main()\n"
    )

    def chibo(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-c", block, *args], capture_output=True, text=True, cwd=ROOT,
                              timeout=300, env={**__import__("os").environ, "COLUMNS": "200"})

    table = chibo("check", "cases/vbn1-2020", "--lang", "en")
    assert table.returncode == 1, table.stderr
    assert "48 requirements: 38 passed, 6 gaps" in table.stdout
    assert "the plain-Python oracle, because durable-rules does not run here: durable-rules is not installed" in \
        table.stdout
    import json

    data = json.loads(chibo("check", "cases/vbn1-2020", "--format", "json").stdout)
    assert data["evaluator"] == "oracle" and "not installed" in data["evaluator_detail"]
    assert "durable-rules is not installed" in chibo("--version", "--lang", "en").stdout
    refused = chibo("check", "cases/vbn1-2020", "--evaluator", "engine")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
