"""Shared fixtures: the bundled 2020 plan (prepared once) and the example cases, loaded with its kinds."""

from __future__ import annotations

import datetime as dt
import functools
from pathlib import Path

import pytest

from chibo_rules.facts import case as case_module
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
