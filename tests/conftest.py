"""Shared fixtures: the bundled 2020 plan (prepared once) and the example cases, loaded with its kinds."""

from __future__ import annotations

import datetime as dt
import functools
import os
import tempfile
from pathlib import Path

import pytest

# The compiled-plan cache of every chibo the tests start goes to a folder of this run, not the user's own
os.environ.setdefault("CHIBO_CACHE_DIR", tempfile.mkdtemp(prefix="chibo-test-cache-"))

import chibo_rules.checks  # noqa: E402,F401 - every check kind registered, as the commands do
from chibo_rules.facts import sources as case_module  # noqa: E402 - after the cache folder is set
from chibo_rules.ruleset.prepare import prepare
from chibo_rules.ruleset.rulespec import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "vbn1-2020"
CASES = ROOT / "cases"
GAPS_CASE = CASES / "vbn1-2020"
COMPLIANT_CASE = CASES / "vbn1-2020-compliant"
YEAR_END = dt.date(2020, 12, 31)


@functools.cache
def plan_rules():
    return load_rules(RULES)


def load_case(path):
    """A case of the 2020 plan, read with that plan's kinds of facts and years."""
    ruleset = plan_rules()
    return case_module.load_case(path, ruleset.schema, (ruleset.plan.start, ruleset.plan.end))


@pytest.fixture(scope="session")
def ruleset():
    return plan_rules()


@pytest.fixture(scope="session")
def schema(ruleset):
    return ruleset.schema


@pytest.fixture(scope="session")
def prepared(ruleset):
    return prepare(ruleset)


@pytest.fixture(scope="session")
def gaps_case():
    return load_case(GAPS_CASE)


@pytest.fixture(scope="session")
def compliant_case():
    return load_case(COMPLIANT_CASE)


# --- why tests were skipped, in one line per reason ---------------------------------------------------------
TOOLS_HINT = ("to run them: apt-get install chromium chromium-driver fonts-noto-core libreoffice-writer-nogui "
              "poppler-utils fonts-liberation2 (as .ci/run does; see README, 'Tests')")


def skip_summary(reports: list) -> list[str]:
    """Skipped tests grouped by reason, most frequent first: a plain `pytest` run where Chromium or LibreOffice
    is missing says so in its summary instead of skipping dozens of tests under a bare count."""
    counts: dict[str, int] = {}
    for report in reports:
        longrepr = getattr(report, "longrepr", None)
        reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
        reason = reason.removeprefix("Skipped: ")
        counts[reason] = counts.get(reason, 0) + 1
    lines = [f"{n} skipped: {reason}" for reason, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))]
    if any("apt-get install" in line for line in lines):
        lines.append(TOOLS_HINT)
    return lines


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001 - pytest's hook signature
    lines = skip_summary(terminalreporter.stats.get("skipped", []))
    if lines:
        terminalreporter.section("skipped tests, and why")
        for line in lines:
            terminalreporter.write_line(line)
