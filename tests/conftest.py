"""Shared fixtures: the bundled rules (prepared once) and the two example cases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chibo_rules.facts.case import load_case
from chibo_rules.ruleset.prepare import prepare
from chibo_rules.ruleset.rulespec import load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules" / "vbn1-2020"
CASES = ROOT / "cases"
GAPS_CASE = CASES / "vbn1-2020"
COMPLIANT_CASE = CASES / "vbn1-2020-compliant"
YEAR_END = dt.date(2020, 12, 31)


@pytest.fixture(scope="session")
def ruleset():
    return load_rules(RULES)


@pytest.fixture(scope="session")
def prepared(ruleset):
    return prepare(ruleset)


@pytest.fixture(scope="session")
def gaps_case():
    return load_case(GAPS_CASE)


@pytest.fixture(scope="session")
def compliant_case():
    return load_case(COMPLIANT_CASE)
