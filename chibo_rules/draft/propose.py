"""From clauses to proposals: a rule file (as a dict in the plan-folder format), how sure the drafter is and why,
the drafted kinds it reads, and a rule-test skeleton.

A figure the shared library records (inspections of members, supervisions, regular meetings) reads the
library's kind; any other figure is a row of the generic figures kind under an indicator code the drafted
folder declares; an activity each period or an unmeasurable commitment reads documents as evidence. Which
kind, which field and which shape: all from lexicon.yaml, never named here.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import safeyaml
from .clauses import Clause, plan_clauses
from .reading import PlanText

LEXICON = Path(__file__).with_name("lexicon.yaml")
OPS_VI = {"gte": "≥", "gt": ">", "lte": "≤", "lt": "<", "eq": "=", "all": "≥", "rank": "≤", "none": "=",
          "present": "≥"}
SEVERITY = {"none": "high", "advisory": "low"}


def load_lexicon(path: Path = LEXICON) -> dict[str, Any]:
    """The drafter's vocabulary (safe YAML: data only)."""
    return safeyaml.load(path.read_text(encoding="utf-8"))[0]


@dataclass
class Proposal:
    """One drafted rule: the clause it comes from, the rule, how sure and why, what it reads."""

    id: str
    clause: Clause
    rule: dict[str, Any]
    shape: str
    code: str | None
    confidence: float
    reasons: list[str] = field(default_factory=list)
    reads: str = ""

    @property
    def level(self) -> str:
        return "high" if self.confidence >= 0.75 else "medium" if self.confidence >= 0.5 else "low"

    @property
    def target(self) -> float | None:
        value = self.rule.get("params", {}).get("target")
        return value if isinstance(value, (int, float)) else None


@dataclass
class Draft:
    """Everything `chibo plan draft` writes: plan.yaml, drafted kinds and the proposals."""

    plan: dict[str, Any]
    kinds: dict[str, dict[str, Any]]
    proposals: list[Proposal]


def draft_plan(text: PlanText, plan_id: str, lexicon: dict[str, Any]) -> Draft:
    """Proposals for every clause of the plan, the kinds they read and plan.yaml."""
    clauses = plan_clauses(text.paragraphs, lexicon, text.years)
    years = text.years or [dt.date.today().year]
    proposals: list[Proposal] = []
    numbers = {"D": 0, "A": 0}
    codes: set[str] = set()
    for clause in clauses:
        prefix = "A" if clause.kind == "advisory" else "D"
        numbers[prefix] += 1
        proposals.append(propose(clause, f"{prefix}{numbers[prefix]:02d}", lexicon, len(years) > 1, codes))
    return Draft(plan_yaml(text, plan_id, years), drafted_kinds(proposals, lexicon), proposals)


def plan_yaml(text: PlanText, plan_id: str, years: list[int]) -> dict[str, Any]:
    name = text.title or plan_id
    return {"id": plan_id, "name": {"vi": name, "en": f"{name} (drafted by chibo from {text.path.name})"},
            "years": years, "source": text.path.name}


def propose(clause: Clause, rule_id: str, lexicon: dict[str, Any], multi_year: bool,
            codes: set[str] | None = None) -> Proposal:
    """One clause as a rule: its shape, check, due, target and confidence. In a plan of several years a
    clause naming no period is judged once a year (and the draft says it guessed)."""
    if multi_year and clause.period is None and clause.op != "none" and clause.kind != "advisory":
        clause.period = next((p for p in lexicon["periods"] if p["period"] == "year"), None)
        clause.reasons.append("period_guessed_yearly")
    shape, check = _check(clause, lexicon)
    declared = (clause.activity or {}).get("declares")
    code = declared["code"] if declared else _code(clause, lexicon, codes if codes is not None else set()) \
        if _needs_code(check, lexicon) else None
    levels = clause.rating["levels"].get(clause.activity.get("scale", ""), []) if clause.rating and \
        clause.activity else []
    check = _fill(check, {"{code}": code or "", "{period}": clause.period["period"] if clause.period else "",
                          "{levels}": levels})
    if clause.activity is None and clause.period and clause.period["period"] == "by_year" and check.get("match"):
        year_where = _fill(lexicon.get("by_year_where", {}), {"{year}": str(clause.period["year"])})
        check["match"][0]["where"] = {**check["match"][0].get("where", {}), **year_where}
    target = _target(clause, shape)
    params: dict[str, Any] = {}
    if shape not in ("periodic", "advisory", "coverage"):
        check["op"] = {"all": "gte", "rank": "lte", "none": "eq", "present": "gte", "rating": "gte"}.get(
            clause.op, clause.op)
        params["target"] = target
        check["target"] = {"param": "target"}
        yearly = multi_year and clause.period and clause.period["period"] in ("year", "school_year")
        if yearly and clause.activity is None and shape in ("ratio", "count", "rank", "amount"):
            check["per"] = {"field": _first_alias(check) + ".period", "calendar": "year"}
        elif yearly and clause.activity is not None and clause.activity.get("per_field") and "per" not in check:
            check["per"] = {"field": clause.activity["per_field"], "calendar": "year"}
    elif _share(clause, shape):
        check["op"] = "gt" if clause.op == "gt" else "gte"
        params["target"] = target
        check["target"] = {"param": "target"}
    rule: dict[str, Any] = {
        "id": rule_id,
        "section": clause.section or "?",
        "title": _title(clause, target),
        "clause": clause.quote,
        "severity": SEVERITY.get(clause.op, SEVERITY.get(clause.kind, "medium")),
        "due": _due(clause, check),
        "hint": {"vi": "Bản nháp của chibo: kiểm lại chỉ tiêu, loại dữ liệu và hạn với câu trong kế hoạch.",
                 "en": "Drafted by chibo: check the target, the facts it reads and the due date against the plan."},
        "tags": ["draft"],
    }
    if params:
        rule["params"] = params
        rule["target_text"] = _target_text(clause, target)
    rule["check"] = check
    confidence, reasons = _confidence(clause)
    proposal = Proposal(rule_id, clause, rule, shape, code, confidence, reasons, _reads(check, code, lexicon))
    rule["tags"].append(f"confidence-{proposal.level}")
    return proposal


def _share(clause: Clause, shape: str) -> bool:
    """A library coverage whose activity says `share` with a figure under 100% ("80% of staff register an
    initiative") is judged on the share of its roster covered; at 100% (or with no figure) every one must be."""
    return (shape == "coverage" and bool((clause.activity or {}).get("share")) and clause.percent
            and clause.value is not None and clause.value < 100 and clause.op in ("gte", "gt"))


def _check(clause: Clause, lexicon: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(shape, check template): a library activity's, else the generic shape for the clause."""
    shapes = lexicon["shapes"]
    if clause.activity is not None:
        check = copy.deepcopy(clause.activity["check"])
        return {"coverage": "coverage", "ratio": "ratio"}.get(check["kind"], "count"), check
    if clause.kind == "advisory":
        return "advisory", copy.deepcopy(shapes["advisory"])
    periodic = clause.period and clause.period["period"] in ("week", "month", "quarter")
    if clause.kind == "periodic" or (periodic and clause.unit and clause.unit["unit"] == "times"):
        return "periodic", copy.deepcopy(shapes["periodic"])
    if clause.kind in ("commitment", "rating"):
        name = {"none": "count", "present": "count", "rating": "count"}.get(clause.op, "ratio")
        return name, copy.deepcopy(shapes[name])
    if _amount(clause, lexicon):
        return "amount", copy.deepcopy(shapes["amount"])
    if clause.percent:
        return "ratio", copy.deepcopy(shapes["ratio"])
    if clause.op == "rank":
        return "rank", copy.deepcopy(shapes["rank"])
    return "count", copy.deepcopy(shapes["count"])


def _amount(clause: Clause, lexicon: dict[str, Any]) -> bool:
    """A value written with decimals (money, a harvest, a growth rate): no whole count, no numerator over a
    denominator a secretary would have to invent."""
    if clause.kind != "figure":
        return False
    if clause.unit and clause.unit.get("amount"):
        return True
    quote = clause.quote.lower()
    return bool(clause.percent) and any(word.lower() in quote for word in lexicon.get("rates", []))


def _needs_code(check: dict[str, Any], lexicon: dict[str, Any]) -> bool:
    return "{code}" in repr(check)


def _code(clause: Clause, lexicon: dict[str, Any], taken: set[str]) -> str:
    """An indicator code made of the clause's own words ("tong_san_pham_xa_hoi"), unique in the draft."""
    text = " " + " ".join(clause.quote.lower().split()) + " "
    for word in sorted(lexicon["code_skip"], key=len, reverse=True):
        text = text.replace(f" {word.lower()} ", " ")
    text = unicodedata.normalize("NFD", text.replace("đ", "d"))
    words = [w for w in re.sub(r"[^a-z ]+", " ", "".join(ch for ch in text if not unicodedata.combining(ch))).split()
             if len(w) > 1 or w.isalpha()]
    base = "_".join(words[:5])[:40].strip("_") or "chi_tieu"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}_{n}"
    taken.add(code)
    return code


def _fill(value: Any, replacements: dict[str, Any]) -> Any:
    """A template with "{code}", "{period}" replaced (only whole strings are placeholders)."""
    if isinstance(value, dict):
        return {k: _fill(v, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, replacements) for v in value]
    if isinstance(value, str) and value in replacements:
        return replacements[value]
    return value


def _first_alias(check: dict[str, Any]) -> str:
    return check["match"][0]["as"]


def _target(clause: Clause, shape: str = "") -> float | int:
    if clause.op == "none":
        return 0
    if clause.value is None:
        return 100 if clause.op == "all" or (clause.op == "rating" and shape == "ratio") else 1
    return int(clause.value) if float(clause.value).is_integer() else clause.value


def _due(clause: Clause, check: dict[str, Any]) -> Any:
    period = clause.period["period"] if clause.period else None
    if clause.activity is not None and clause.activity.get("due"):
        return clause.activity["due"]
    if period == "by_year" and clause.period:
        return {"at": dt.date(clause.period["year"], 12, 31)}
    if check["kind"] == "coverage" and period in ("week", "month", "quarter"):
        return {"each": period}
    if clause.op == "none" or "per" in check or check["kind"] == "advisory":
        return "continuous"
    if period == "term":
        return {"at": "plan_end"}
    return {"at": "year_end"}


def short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _title(clause: Clause, target: float | int) -> dict[str, str]:
    vi = short(clause.quote[:1].upper() + clause.quote[1:])
    subject = clause.subject["en"] if clause.subject else "the plan"
    what = {"figure": f"{_op_en(clause.op)} {target:g}{_unit_en(clause)}", "commitment": clause.commitment["en"]
            if clause.commitment else "", "periodic": f"something done {clause.period['en'] if clause.period else ''}",
            "advisory": "not measurable: evidence for a reviewer",
            "rating": f"rated {clause.commitment['en']}" if clause.commitment else "rated as planned"}[clause.kind]
    return {"vi": vi, "en": f"{subject[:1].upper() + subject[1:]}: {what} (draft)".replace("  ", " ")}


def _op_en(op: str) -> str:
    return {"gte": "at least", "gt": "more than", "lte": "at most", "lt": "less than", "eq": "exactly",
            "all": "all of", "rank": "ranked within", "none": "none", "present": "at least"}.get(op, "")


def _unit_en(clause: Clause) -> str:
    if clause.percent:
        return "%"
    return f" {clause.unit['en']}" if clause.unit else ""


def _target_text(clause: Clause, target: float | int) -> dict[str, str]:
    unit_vi = "%" if clause.percent else (f" {clause.unit['vi']}" if clause.unit else "")
    period_vi = f", {clause.period['vi']}" if clause.period else ""
    period_en = f", {clause.period['en']}" if clause.period else ""
    return {"vi": f"{OPS_VI.get(clause.op, '')} {target:g}{unit_vi}{period_vi}",
            "en": f"{_op_en(clause.op)} {target:g}{_unit_en(clause)}{period_en}"}


def _confidence(clause: Clause) -> tuple[float, list[str]]:
    """How sure the drafter is, and why: a direction word, a known unit, subject and library kind each add."""
    reasons = list(clause.reasons)
    score = {"figure": 0.5, "commitment": 0.4, "periodic": 0.5, "advisory": 0.3, "rating": 0.45}[clause.kind]
    if clause.kind == "figure" and clause.explicit:
        score += 0.2
    for name, part, weight in (("unit", clause.unit, 0.1), ("subject", clause.subject, 0.1),
                               ("period", clause.period, 0.0), ("activity", clause.activity, 0.15)):
        if part is not None:
            score += weight
            reasons.append(f"{name}:{part.get('vi', part.get('id', ''))}")
    if clause.kind == "figure" and clause.activity is None:
        reasons.append("generic_figure")
    return round(min(score, 0.95), 2), reasons


def _reads(check: dict[str, Any], code: str | None, lexicon: dict[str, Any]) -> str:
    """'kind.field, …' the rule reads: the kinds of its patterns and the fields it sums or counts."""
    kinds = []
    for pattern in _patterns(check):
        if pattern.get("kind") and pattern["kind"] not in kinds:
            kinds.append(pattern["kind"])
    fields = []
    total = check.get("sum")
    if isinstance(total, dict):
        fields += [total["numerator"], total["denominator"]]
    elif isinstance(total, str):
        fields.append(total)
    if check.get("distinct"):
        fields.append(check["distinct"])
    text = ", ".join(kinds)
    if fields:
        text += " (" + ", ".join(fields) + ")"
    if code:
        text += f" [{code}]"
    return text


def _patterns(check: dict[str, Any]) -> list[dict[str, Any]]:
    out = list(check.get("match", [])) + list(check.get("for_each", []))
    for key in ("require", "evidence", "among"):
        if isinstance(check.get(key), dict):
            out.append(check[key])
    return out


def drafted_kinds(proposals: list[Proposal], lexicon: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """kinds/<file>.yaml extending the library's figures and documents with the drafted codes."""
    out: dict[str, dict[str, Any]] = {}
    for proposal in proposals:
        if proposal.code is None:
            continue
        declared = (proposal.clause.activity or {}).get("declares")
        if declared:
            kind = out.setdefault(declared["file"], {"extends": declared["kind"], "codes": {declared["field"]: {}}})
            kind["codes"][declared["field"]][declared["code"]] = {"vi": declared["vi"], "en": declared["en"]}
            continue
        which = lexicon["evidence_kind"] if proposal.shape in ("periodic", "advisory") else lexicon["figure_kind"]
        kind = out.setdefault(which["file"], {"extends": which["kind"], "codes": {which["code_field"]: {}}})
        kind["codes"][which["code_field"]][proposal.code] = {"vi": short(proposal.clause.quote, 60),
                                                             "en": short(proposal.rule["title"]["en"], 60)}
    return out


def kinds_subset(kinds: dict[str, dict[str, Any]], codes: set[str]) -> dict[str, dict[str, Any]]:
    """The drafted kinds with only the codes the accepted rules read (a kind left without codes is dropped)."""
    out = {}
    for name, kind in kinds.items():
        kept = {field: {c: v for c, v in values.items() if c in codes} for field, values in kind["codes"].items()}
        if any(kept.values()):
            out[name] = {**kind, "codes": kept}
    return out


def dump_yaml(data: Any) -> str:
    """YAML as chibo reads it: no aliases (safeyaml refuses them), keys in order, text unescaped."""
    import yaml

    class NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data: Any) -> bool:
            return True

    return yaml.dump(data, Dumper=NoAliases, allow_unicode=True, sort_keys=False, width=110)


def rule_text(proposal: Proposal) -> str:
    """The rule file: YAML comments saying how sure the drafter is and why, then the rule."""
    head = [f"# draft: {proposal.level} confidence ({proposal.confidence:.2f}) — {', '.join(proposal.reasons)}",
            f"# reads: {proposal.reads}",
            f"# sentence: {short(proposal.clause.sentence, 200)}",
            f"# plan line: {proposal.clause.line}"]
    body = dump_yaml(proposal.rule)
    return "\n".join(head) + "\n" + body


def test_skeleton(rule: dict[str, Any], shape: str, code: str | None, period: str | None, years: list[int],
                  lexicon: dict[str, Any]) -> dict[str, Any]:
    """A rule test: for a drafted figure, a passing and a failing case at the target's edge; for an advisory
    rule, one advisory case; for a library activity, one case still to write (`rules test` reports it)."""
    last = dt.date(max(years), 12, 31)
    if shape == "advisory":
        return {"rule": rule["id"], "cases": [{"name": "lời khuyên, không chấm / advisory, not judged",
                                               "as_of": last, "facts": {}, "expect": {"status": "advisory"}}]}
    rows = lexicon["test_rows"].get(shape)
    drafted = {lexicon["figure_kind"]["kind"], lexicon["evidence_kind"]["kind"]}
    reads = {pattern.get("kind") for pattern in _patterns(rule["check"])}
    if rows is None or code is None or not reads & drafted:
        return {"rule": rule["id"], "cases": [{
            "name": "CẦN VIẾT: thêm bản ghi đạt chỉ tiêu / TO DO: add the records that meet the target",
            "as_of": last, "facts": {}, "expect": {"status": "passed"}}]}
    kind = (lexicon["evidence_kind"] if shape == "periodic" else lexicon["figure_kind"])["kind"]
    if shape == "periodic":
        good = _period_rows(rows, code, period or "month", years)
        return {"rule": rule["id"], "cases": [
            {"name": "mỗi kỳ đều có minh chứng / evidence every period", "as_of": last, "facts": {kind: good},
             "expect": {"status": "passed"}},
            {"name": "thiếu kỳ đầu / the first period missing", "as_of": last, "facts": {kind: good[1:]},
             "expect": {"status": "gap"}}]}
    passing, failing = _edge(rule["check"]["op"], float(rule["params"]["target"]), shape == "ratio")
    due = rule.get("due")
    by = getattr(due.get("at"), "year", max(years)) if isinstance(due, dict) else max(years)
    periods = [str(y) for y in years] if "per" in rule["check"] else \
        [str(by)] if period == "by_year" else [str(years[0])]  # a target "by 2025" reads the row of 2025
    return {"rule": rule["id"], "cases": [
        {"name": f"đạt chỉ tiêu / meets the target ({passing[0]:g}/{passing[1]:g})", "as_of": last,
         "facts": {kind: [_row(rows, code, p, *passing) for p in periods]}, "expect": {"status": "passed"}},
        {"name": f"không đạt / misses the target ({failing[0]:g}/{failing[1]:g})", "as_of": last,
         "facts": {kind: [_row(rows, code, p, *failing) for p in periods]}, "expect": {"status": "gap"}}]}


def _edge(op: str, target: float, ratio: bool) -> tuple[tuple[float, float], tuple[float, float]]:
    """(value, total) just meeting and just missing the target (a share out of 100, or out of 1000 for 0.5%)."""
    total = 1000.0 if ratio and not target.is_integer() else 100.0
    scale = total / 100 if ratio else 1.0
    value = target * scale
    step = 1.0
    good, bad = {
        "gte": (value, value - step), "gt": (value + step, value), "lte": (value, value + step),
        "lt": (value - step, value), "eq": (value, value + step),
    }[op]
    if bad < 0:
        bad = value + step
    return (max(good, 0.0), total if ratio else 0.0), (bad, total if ratio else 0.0)


def _row(template: dict[str, Any], code: str, period: str, value: float, total: float) -> dict[str, Any]:
    whole = float(value).is_integer()  # an amount keeps its decimals (6,5%): int() would miss the target
    filled = {"{code}": code, "{period}": period, "{value}": int(value) if whole else value, "{total}": int(total)}
    return {k: filled.get(v, v) if isinstance(v, str) else v for k, v in template.items()}


def _period_rows(template: dict[str, Any], code: str, period: str, years: list[int]) -> list[dict[str, Any]]:
    """One evidence row per week, month or quarter of the plan (dated in its middle)."""
    days = []
    for year in years:
        if period == "week":
            day = dt.date(year, 1, 1)
            day += dt.timedelta(days=(2 - day.weekday()) % 7)
            while day.year == year:
                days.append(day)
                day += dt.timedelta(days=7)
        else:
            months = range(1, 13) if period == "month" else (2, 5, 8, 11)
            days += [dt.date(year, month, 15) for month in months]
    return [{k: (code if v == "{code}" else d if v == "{date}" else v) for k, v in template.items()} for d in days]


def slug(name: str) -> str:
    """A plan id from a folder name: lower case, letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "draft"
