"""How good a draft is against a hand-made list of targets (TARGETS.md): recall and precision, per target.

A TARGETS.md holds a Markdown table with (at least) the columns Section, Clause and Kind (or Check). A row is
*found* when a proposal of the same section quotes words of its clause (the quote holds every piece of an
abridged clause, or is itself part of one; compared
without accents, case or punctuation) with the right figure and direction. What "right" means is read from
the Kind column: "ratio ≥ 70%" wants 70 and ≥; "count = 0" wants none; "coverage …" wants every one (100%, or
all N of what the clause counts); "schedule, monthly" / "coverage per month" wants something each month;
"… present" wants at least one; "advisory" an advisory rule. Equivalences, stated once: "= 100%" is met by
"≥ 100%", "every one" and "none fails" (no member not completing = 100% completing); "= N" by "≥ N"; "≥ 1" by
"present"; "≤ N" by a rank within N.
A proposal is *a real target* when it clause-matches a row with the right figure and direction.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

from .propose import Proposal

OPS = {"≥": "gte", ">=": "gte", "≤": "lte", "<=": "lte", "=": "eq", "<": "lt", ">": "gt"}


@dataclass
class Target:
    """One row of TARGETS.md and what a proposal must say to find it."""

    number: str
    section: str
    clause: str
    kind: str
    want: str  # gte gt lte lt eq all period present advisory
    value: float | None = None
    period: str | None = None
    when: str | None = None  # the Period column, read as year | term | continuous | by:N | month | quarter | any
    found_by: list[str] = field(default_factory=list)
    near: list[str] = field(default_factory=list)  # same words, other figure or direction


@dataclass
class Measure:
    targets: list[Target]
    proposals: list[Proposal]
    real: list[str]
    advisory_phrases: list[tuple[str, bool]]

    @property
    def found(self) -> int:
        return sum(1 for t in self.targets if t.found_by)

    @property
    def measurable(self) -> list[Proposal]:
        return [p for p in self.proposals if p.shape != "advisory"]

    @property
    def recall(self) -> float:
        return self.found / len(self.targets) if self.targets else 0.0

    @property
    def precision(self) -> float:
        return len(self.real) / len(self.proposals) if self.proposals else 0.0


def norm(text: str) -> str:
    """Lower case, no accents (đ → d), punctuation as spaces: "đếu" and "đều" compare equal."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text).split())


def read_targets(path: Path) -> list[Target]:
    """The rows of the first Markdown table with Section and Clause columns."""
    header: list[str] | None = None
    out: list[Target] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("|"):
            header = None if out else header
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            names = [c.split(" ")[0] for c in cells]  # "Clause (quoted exactly)" is the Clause column
            if "Section" in names and "Clause" in names:
                header = names
            continue
        if set(line.replace("|", "").strip()) <= set("-: "):
            continue
        row = dict(zip(header, cells))
        kind = row.get("Kind") or row.get("Check") or ""
        target = Target(row.get("#", ""), row["Section"], row["Clause"], kind, "")
        out.append(from_columns(target, row) if row.get("Direction") else expected(target))
    return out


DIRECTIONS = [("every one", "all"), ("all of", "all"), ("none", "none"), ("rating", "rating"), ("rank", "lte"),
              ("at least", "gte"), ("or more", "gte"), ("floor", "gte"), ("more than", "gt"), ("at most", "lte"),
              ("no more than", "lte"), ("cap", "lte"), ("less than", "lt"), ("under", "lt"), ("exactly", "eq")]


def from_columns(target: Target, row: dict[str, str]) -> Target:
    """A row with Figure, Direction and Period columns (the plans-dev tables): direction in words ("at least",
    "more than", "= 100%", "every one", "none", "rating"), the figure's first number, the period in words."""
    direction = row["Direction"].strip().lower()
    m = re.match(r"(≥|≤|>=|<=|=|<|>)\s*(\d+(?:[.,]\d+)?)", direction)
    if m:
        target.want, target.value = OPS[m.group(1)], float(m.group(2).replace(",", "."))
    else:
        target.want = next((op for words, op in DIRECTIONS if words in direction), "gte")
        number = re.search(r"(?<![\w/])(\d+(?:[.,]\d+)?)", row.get("Figure", ""))
        target.value = float(number.group(1).replace(",", ".")) if number else None
    if target.want == "none":
        target.want, target.value = "eq", 0.0
    if re.match(r"\s*(?:rating|title)\b", row.get("Figure", ""), re.IGNORECASE):
        target.want, target.value = "rating", None
    target.when = when_of(row.get("Period", ""))
    return target


def when_of(period: str) -> str:
    """The Period column as one of: year (each year or school year), term, continuous, by:N (a year named),
    month, quarter, any (no period stated)."""
    text = period.lower()
    if "month" in text:
        return "month"
    if "quarter" in text:
        return "quarter"
    if re.search(r"each (?:school )?year|yearly|per year|every year", text):
        return "year"
    if m := re.match(r"\s*(?:by |in )?(?:the )?(?:end of )?year (\d{4})", text):
        return f"by:{m.group(1)}"
    if "continuous" in text and not text.startswith("term"):
        return "continuous"
    if text.startswith("term") or "over the term" in text or "end of the term" in text:
        return "term"
    return "any"


def proposal_when(proposal: Proposal, last_year: int | None) -> set[str]:
    """The periods a proposal judges, in the words of when_of (a term ends in its last year)."""
    c, rule = proposal.clause, proposal.rule
    due = rule.get("due")
    named = c.period["period"] if c.period else None
    out: set[str] = set()
    if isinstance(due, dict) and due.get("each") in ("month", "quarter"):
        out.add(due["each"])
    if "per" in rule.get("check", {}) or named in ("year", "school_year") or (
            named == "year_end"):
        out.add("year")
    if named == "term" or (isinstance(due, dict) and due.get("at") in ("plan_end", "year_end") and named != "year"):
        out.add("term")
        if last_year:
            out.add(f"by:{last_year}")
    if isinstance(due, dict) and re.fullmatch(r"\d{4}-12-31", str(due.get("at", ""))):
        out.add(f"by:{str(due['at'])[:4]}")
    if due == "continuous" and c.op == "none":
        out |= {"continuous", "term"}
    return out


def expected(target: Target) -> Target:
    """What the Kind column asks for (see the module's doc)."""
    kind = target.kind.lower()
    m = re.search(r"(≥|≤|>=|<=|=|<|>)\s*(\d+(?:[.,]\d+)?)\s*%?", target.kind)
    if m:
        target.want, target.value = OPS[m.group(1)], float(m.group(2).replace(",", "."))
    elif "advisory" in kind:
        target.want = "advisory"
    elif any(w in kind for w in ("monthly", "per month")):
        target.want, target.period = "period", "month"
    elif any(w in kind for w in ("quarterly", "per quarter")):
        target.want, target.period = "period", "quarter"
    elif "present" in kind:
        target.want = "present"
    elif any(w in kind for w in ("coverage", "rating", "per record")):
        target.want = "all"
    else:
        numbers = re.findall(r"(?<![\d/])(\d{1,3})(?![\d/])", target.clause)
        target.want, target.value = ("gte", float(numbers[0])) if numbers else ("all", None)
    return target


def pieces(clause: str) -> list[list[str]]:
    """An abridged clause as alternatives (separate quotes: '"a" ; "b"', '"a" and "b"'), each a list of the
    parts an abridgement ("a ... b") keeps; an aside in brackets is left out."""
    out = []
    for alternative in re.split(r"\"\s*;\s*\"|\"\s+and\s+\"|\"\s+\"|”\s*;\s*“", clause):
        parts = [p.strip().strip('"') for p in re.split(r"\.\.\.|…", alternative)]
        kept = [norm(p) for p in parts if p and not p.startswith("(")] or [norm(p) for p in parts]
        if any(kept):
            out.append([k for k in kept if k])
    return out


def same_words(target: Target, proposal: Proposal) -> bool:
    """Same section, and the quote holds every part of one alternative of the clause (or is part of one)."""
    quote = norm(proposal.clause.quote)
    if proposal.clause.section != target.section:
        return False
    return any(all(p in quote or _nearly_in(p, quote) for p in parts) or any(len(quote) >= 10 and quote in p
                                                                             for p in parts)
               for parts in pieces(target.clause))


def _nearly_in(piece: str, quote: str) -> bool:
    """The piece is in the quote but for a typo or two (TARGETS.md writes "cán bộ" where the plan has "các bộ"):
    90% of its characters match, in order."""
    if len(piece) < 20:
        return False
    blocks = SequenceMatcher(None, piece, quote, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks if b.size >= 4) >= 0.9 * len(piece)


def right_figure(target: Target, proposal: Proposal) -> bool:
    """Whether the proposal's figure and direction are what the row asks for (equivalences: module doc)."""
    c = proposal.clause
    op, value = c.op, c.value
    if target.want == "advisory":
        return proposal.shape == "advisory"
    if proposal.shape == "advisory":
        return False
    if target.want == "period":
        return c.period is not None and c.period["period"] == target.period
    if target.want == "rating":
        return op == "rating"
    if target.want == "present":
        return op in ("present", "rating") or (op == "gte" and value == 1 and not c.percent)
    if target.want == "all":
        counted = {float(n) for n in re.findall(r"(?<![\d/])(\d{1,3})(?![\d/])", target.clause)}
        return op in ("all", "none", "rating") or (c.percent and value == 100 and op in ("gte", "eq")) or (
            op == "gte" and not c.percent and value in counted)
    want, number = target.want, target.value
    if want == "eq" and number == 100:
        return op in ("all", "none", "rating") or (value == 100 and op in ("gte", "eq"))
    if want == "eq" and number == 0:
        return op == "none" or (value == 0 and op in ("eq", "lte"))
    if want == "gte" and number == 1 and op in ("present", "rating"):
        return True
    if want == "lte" and op == "rank":
        return value == number
    if value != number:
        return False
    return op == want or (want == "eq" and op == "gte") or (want == "gte" and op == "all")


def right_period(target: Target, proposal: Proposal, last_year: int | None) -> bool:
    """Whether the proposal judges the period the row names (a row without a Period column: not asked)."""
    if target.when in (None, "any"):
        return True
    return target.when in proposal_when(proposal, last_year)


def measure(targets: list[Target], proposals: list[Proposal], advisory_phrases: list[str] | None = None,
            last_year: int | None = None) -> Measure:
    """Which rows are found by which proposals, which proposals are real targets."""
    real = []
    for proposal in proposals:
        hit = False
        for target in targets:
            if same_words(target, proposal):
                if right_figure(target, proposal) and right_period(target, proposal, last_year):
                    target.found_by.append(proposal.id)
                    hit = True
                else:
                    target.near.append(proposal.id)
        if not hit and proposal.shape == "advisory":  # one of the phrases TARGETS.md calls not measurable
            hit = any(norm(p) in norm(proposal.clause.quote) for p in advisory_phrases or [])
        if hit:
            real.append(proposal.id)
    phrases = [(p, any(norm(p) in norm(x.clause.quote) for x in proposals if x.shape == "advisory"))
               for p in advisory_phrases or []]
    return Measure(targets, proposals, real, phrases)


def unmeasurable_phrases(path: Path) -> list[str]:
    """The phrases a TARGETS.md lists as "Not measurable as written" (quoted), if it has such a paragraph."""
    text = path.read_text(encoding="utf-8")
    start = text.find("Not measurable as written")
    if start < 0:
        return []
    paragraph = text[start: text.find("\n\n", start) if "\n\n" in text[start:] else len(text)]
    return [p for p in re.findall(r"\"([^\"]+)\"", paragraph) if not p.isascii()]
