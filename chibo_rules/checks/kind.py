"""What a check kind is: `CheckKind`, the hooks every kind module fills, and the narrow views of the layers
above that those hooks are handed by their callers (checks/__init__.py says why they are handed in rather
than imported), with the few steps several kinds share.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from typing import Any, ClassVar, Protocol

from ..ruleset.conditions import All, Cond, FieldRef
from ..ruleset.prepare import Bound, Prepared
from ..ruleset.rulespec import CheckSpec
from .finding import Finding, Gap, plain_number

Keys = tuple[str, ...]  # the keys of the records one match binds, in alias order (as evaluate/raw.py)
Env = dict[str, dict[str, Any]]  # records bound so far, by alias
Found = Callable[[Env], list[dict[str, Any]]]  # the records of a pattern meeting its condition, given an env
Test = Callable[[dict[str, Any], Env], bool]  # whether a record meets a condition, given an env
Extract = Callable[[dict[str, Any]], Any]  # what an engine action keeps of a match besides its keys
Number = Callable[[Any], str]  # a number written the way the report's language writes it
OP_SIGN = {"eq": "=", "ne": "≠", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}
# words of the `short` reason several kinds give: a count short of its target, a share below (or over) it
SHARED_WORDS = {
    "short": ("còn thiếu {needed} (đạt {value}, chỉ tiêu {sign} {target})",
              "{needed} short ({value} against {sign} {target})"),
    "short_ratio": ("đạt {percent}% ({numerator}/{denominator}), chỉ tiêu {sign} {target}%",
                    "{percent}% ({numerator}/{denominator}) against {sign} {target}%"),
}


class Emitter(Protocol):
    """The durable-rules compiler (evaluate/compile.py's Compiler), as a kind's compile step uses it."""

    def emit(self, rule_id: str, role: str, positives: list[tuple[Bound, Cond]],
             negative: tuple[Bound, Cond] | None, aliases: tuple[str, ...], extract: Extract | None = None) -> None:
        """Engine rules matching `positives` (and none of `negative`) whose action records each match as
        (rule id, role, the keys of `aliases`, extract(match))."""

    def fields(self, refs: tuple[FieldRef, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
        """An `extract` reading these fields off a match as the engine hands it over."""


class Matching(Protocol):
    """The oracle (evaluate/oracle.py's Oracle), as a kind's oracle step uses it."""

    def matcher(self, rule_id: str, bound: Bound, cond: Cond) -> Found:
        """The records of `bound` meeting `cond`, as a function of the records bound so far."""

    def combos(self, dims: list[tuple[str, Found]]) -> Iterator[Env]:
        """Every combination of records, one per dim (one env, updated in place)."""

    def test(self, cond: Cond) -> Test:
        """Whether a record meets `cond` given the records bound so far."""


class Matched(Protocol):
    """What an evaluator found for one rule, by role (evaluate/raw.py's Raw): a kind's oracle step fills the
    roles its compiled rules record (any names it chooses), and its judging reads them."""

    def add(self, role: str, keys: Keys, extra: Any = None) -> None:
        """One match of a role (with what the engine's action kept of it)."""

    def keys(self, role: str) -> set[Keys]:
        """The matches of a role."""

    def values(self, role: str) -> dict[Keys, Any]:
        """The matches of a role with what each kept."""


class Records(Protocol):
    """The cell's records as the judge holds them (judge/findings.py), for what a gap shows."""

    def explain(self, p: Prepared, cond: All, owner: str, refs: list[tuple[str, str]]) -> dict[str, Any]:
        """The values that made the record of `owner` fail `cond`, among the records `refs` name."""


class GapWords(Protocol):
    """The report's words (report/labels.py), as a kind's gap text uses them, in the report's language."""

    lang: str

    def t(self, key: str, **kw: Any) -> str:
        """Words of the catalogue (report/i18n.py, with every kind's own words)."""

    def known(self, key: str) -> bool:
        """Whether the catalogue has words for `key`."""

    def number(self, value: Any) -> str:
        """A number as the report's language writes it."""

    def records(self, p: Prepared, refs: list[tuple[str, str]]) -> str:
        """A gap's records the way a secretary knows them, joined by " — "."""

    def custom(self, p: Prepared, reason: str) -> str | None:
        """The rule's own words for a gap of this reason (`gap_text`), if it has them."""

    def detail(self, kind: str | None, name: str, test: dict[str, Any]) -> str:
        """A failed value of a field of a kind of fact, with what was expected."""

    def location(self, kind: str, key: str) -> str | None:
        """Where a record sits (file and line); None when the report leaves sources out."""

    def kind_label(self, kind: str) -> str:
        """A kind of fact in words."""


class CheckKind(ABC):
    """One kind of check a rule file may name (`check.kind`): the steps that differ by kind, each called by
    the generic module of its stage through `CHECK_KINDS`.

    - spec: its rule-file model (ruleset/rulespec.py's CheckSpec): its shape, and `prepare`, which binds its
      patterns and parses what is its own into the Prepared rule (`own` for what no other kind has);
    - compile: the durable-rules rules recording this kind's roles (from evaluate/compile.py);
    - evaluate: the same roles found by the oracle's loops (from evaluate/oracle.py) — the two must agree,
      which tests/test_agreement.py checks on every rule;
    - judge: the roles → a Finding (from judge/findings.py; for a rule with `per`, once per period with
      only that period's matches, so a kind that allows `per` judges whatever part it is given);
    - observed, target, gap_text: its finding, its target and its gaps in words (from report/labels.py);
    - title, reasons, candidates, words: its name, the gap reasons it gives, those listing who could still be
      counted, and its words for the report's catalogue (checks/registry.py hands them on).
    """

    name: ClassVar[str]
    spec: ClassVar[type[CheckSpec]]  # its rule-file model (`check:`), with its shape and its preparation
    title: ClassVar[tuple[str, str]]  # its name in words (Vietnamese, English): `chibo rules list`
    reasons: ClassVar[tuple[str, ...]] = ()  # the gap reasons its judging gives (finding.GAP_REASONS)
    candidates: ClassVar[tuple[str, ...]] = ()  # those of them listing who could still be counted (finding.CANDIDATES)
    # its words in the report's catalogue (report/i18n.py `t`), by key. A gap of a reason of its own is shown as
    # "records: words" from the key `gap_REASON` (formatted with the gap's values) when it has one.
    words: ClassVar[dict[str, tuple[str, str]]] = {}
    unit: ClassVar[str] = ""  # of its target and observed value ("%": a ratio)

    @abstractmethod
    def compile(self, p: Prepared, out: Emitter) -> None:
        """Emit the engine rules recording this rule's matches by role."""

    @abstractmethod
    def evaluate(self, p: Prepared, oracle: Matching, raw: Matched) -> None:
        """Fill `raw` with the same roles as the compiled rules record, by the oracle's loops."""

    @abstractmethod
    def judge(self, p: Prepared, raw: Matched, records: Records) -> Finding:
        """The rule's finding from its matches."""

    @abstractmethod
    def observed(self, o: dict[str, Any] | None, number: Number) -> str:
        """A finding's observed value in words (None: a period without records)."""

    def target(self, p: Prepared, number: Number) -> str | None:
        """The target in words, without its period (`≥ 11`, `≥ 90%`); None when the rule has none."""
        if not p.op or p.target is None:
            return None
        value = int(p.target) if p.target.denominator == 1 else float(p.target)
        return f"{OP_SIGN[p.op]} {number(value)}{self.unit}"

    def gap_text(self, p: Prepared, gap: Gap, words: GapWords) -> str:
        """One gap in words (report/labels.py asks, after what every kind shares: periods, audit's `behind`):
        how far from the target (`short`), else its records with the rule's own words for its reason
        (`gap_text`), else with this kind's `gap_REASON` words, else the records alone."""
        if gap.reason == "short":
            figures = {k: words.number(v) for k, v in gap.values.items() if k != "op"}
            sign = OP_SIGN.get(gap.values.get("op", ""), "")
            return words.t("short_ratio" if "percent" in gap.values else "short", sign=sign, **figures)
        refs = words.records(p, gap.refs)
        custom = words.custom(p, gap.reason)
        if custom is not None:
            return f"{refs}: {custom}"
        if words.known(f"gap_{gap.reason}"):
            values = {k: words.number(v) if isinstance(v, (int, float)) else v for k, v in gap.values.items()}
            return f"{refs}: {words.t(f'gap_{gap.reason}', **values)}"
        return refs

    @staticmethod
    def explained(p: Prepared, gap: Gap, words: GapWords, alias: str, shown: list[tuple[str, str]],
                  suffix: str = "") -> str:
        """A gap whose values failed a condition on the records of `alias`: each failed value with what was
        expected, or the rule's own words for what failing means here."""
        owner = p.alias_map()[alias].pattern.kind
        details = words.custom(p, gap.reason)
        if details is None:
            details = "; ".join(words.detail(owner, n, test) for n, test in gap.values.items())
        refs = words.records(p, shown)
        return (f"{refs}: {details}" if details else refs) + suffix

    def goal(self, p: Prepared, **more: Any) -> dict[str, Any]:
        """A finding's target: the comparison, then `more`, then the unit (the order JSON reports show)."""
        goal = {"op": p.op, "value": plain_number(p.target), **more}
        if self.unit:
            goal["unit"] = self.unit
        return goal

    # ---------------------------------------------------------- steps several kinds share

    @staticmethod
    def subjects(p: Prepared) -> tuple[list[tuple[Bound, Cond]], tuple[str, ...]]:
        """The rule's dims with their conditions, and their aliases: what its compiled rules match and key by."""
        return [(b, b.where) for b in p.dims], tuple(b.alias for b in p.dims)

    @staticmethod
    def combinations(oracle: Matching, p: Prepared) -> Iterator[tuple[Keys, Env]]:
        """Every subject of the rule by the oracle: one record per dim and the keys naming them. The env is
        updated in place: read it before the next one."""
        aliases = [b.alias for b in p.dims]
        for env in oracle.combos([(b.alias, oracle.matcher(p.id, b, b.where)) for b in p.dims]):
            yield tuple(str(env[a]["key"]) for a in aliases), env

    @staticmethod
    def emit_records(out: Emitter, p: Prepared, role: str, bound: Bound) -> None:
        """A pattern matched on its own (advisory evidence, who a count could count): a hit per record."""
        out.emit(p.id, role, [(bound, bound.where)], None, (bound.alias,))

    @staticmethod
    def record_keys(oracle: Matching, p: Prepared, bound: Bound, role: str, raw: Matched) -> None:
        """The oracle's side of `emit_records`."""
        for f in oracle.matcher(p.id, bound, bound.where)({}):
            raw.add(role, (str(f["key"]),))


def values_of(env: Env, refs: tuple[FieldRef, ...]) -> tuple[Any, ...]:
    """The oracle's side of `Emitter.fields`."""
    return tuple(env[r.alias].get(r.field) for r in refs)


def named(aliases: list[str], keys: Keys) -> list[tuple[str, str]]:
    """A gap's records: each key with the alias it was bound to."""
    return list(zip(aliases, keys))
