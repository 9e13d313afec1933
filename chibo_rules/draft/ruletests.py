"""Rule tests built from the rule itself, for drafted rules that read the library's records (a meeting every
month, members inspected): the test skeleton could only say "CẦN VIẾT / TO DO" for them.

Four shapes are built, from the rule's patterns and the plan's kind declarations (no kind or field is named
here): a coverage of one calendar pattern whose required record is dated inside each period (one record per
period passes; without the first period's it fails), a coverage of records joined to the required one (every
member briefed on every resolution: one of each, and the required record of each combination), a count of
distinct people among the roster (as many people and records as the target passes; one fewer, or one more for
a cap, fails), and a yearly share of records coded in a list (a rating: every record inside the list passes a
floor; the first year's outside it fails). Every required field
of a record gets a value its declaration allows; a rule of another shape keeps its skeleton (None here).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from ..facts.declarations import FieldDecl, KindDecl
from ..ruleset.calendar import PlanCalendar, spans

# how many subjects just meet the target and just miss it, per comparison
_EDGE = {"gte": (0, -1), "gt": (1, 0), "lte": (0, 1), "lt": (-1, 0), "eq": (0, 1)}


def built_cases(rule: dict[str, Any], kinds: dict[str, KindDecl], years: list[int],
                start: dt.date | None = None) -> dict[str, Any] | None:
    """A rule test (a passing and a failing case) for a rule of a shape this module knows, else None."""
    check = rule.get("check") or {}
    try:
        if check.get("kind") == "coverage":
            return _periodic(rule, kinds, years, start) or _joined_coverage(rule, kinds, years, start)
        if check.get("kind") == "count":
            return _distinct_people(rule, kinds, years) or _records_counted(rule, kinds, years)
        if check.get("kind") == "ratio":
            return _coded_share(rule, kinds, years)
    except (KeyError, TypeError, ValueError, IndexError, StopIteration, AttributeError):
        return None  # an unexpected shape: the skeleton stays
    return None


def _periodic(rule: dict[str, Any], kinds: dict[str, KindDecl], years: list[int],
              start: dt.date | None) -> dict[str, Any] | None:
    check = rule["check"]
    each, require = check.get("for_each") or [], check.get("require")
    if len(each) != 1 or "calendar" not in each[0] or not require or check.get("must") or require["kind"] not in kinds:
        return None
    alias, unit = each[0]["as"], each[0]["calendar"]
    if unit not in ("week", "month", "quarter", "year"):
        return None
    decl = kinds[require["kind"]]
    literal, dated = _split_where(require.get("where") or {}, alias)
    if dated is None or decl.fields.get(dated, FieldDecl(type="text")).type != "date":
        return None
    first, last = start or dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    periods = spans(unit, PlanCalendar(first, last), first, last, [])
    records = []
    for n, (_key, p_start, p_end) in enumerate(periods, start=1):
        day = min(p_start + dt.timedelta(days=2), p_end)
        records.append(_record(decl, kinds, n, {**literal, dated: day}, day))
    if len(records) < 2:
        return None
    return _cases(rule, last, {require["kind"]: records}, {require["kind"]: records[1:]})


_INSIDE = ({"param": "plan_start"}, {"param": "as_of"}, {"param": "plan_end"})
_CALENDARS = ("week", "month", "quarter", "year")


def _joined_coverage(rule: dict[str, Any], kinds: dict[str, KindDecl], years: list[int],
                     start: dt.date | None) -> dict[str, Any] | None:
    """A coverage over a record of each kind pattern (and every period of a calendar pattern) with the required
    record joined to them ("every member briefed on every resolution", "every member registers each year"):
    those records and one required record for each combination pass; without the first combination's it
    fails. A condition between patterns is met by leaving an optional date blank that its declaration reads
    as the earliest or latest day, and a join by copying the field it refers to."""
    check = rule["check"]
    each, require = check.get("for_each") or [], check.get("require")
    if not each or not require or check.get("must") or require["kind"] not in kinds:
        return None
    first, last = start or dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)
    day = max(first, dt.date(min(years), 6, 15))
    instances: dict[str, list[dict[str, Any]]] = {}
    facts: dict[str, list[dict[str, Any]]] = {}
    for n, pattern in enumerate(each, start=1):
        if "calendar" in pattern:
            if pattern["calendar"] not in _CALENDARS:
                return None
            periods = spans(pattern["calendar"], PlanCalendar(first, last), first, last, [])
            instances[pattern["as"]] = [{"start": p_start, "end": p_end} for _key, p_start, p_end in periods]
            continue
        decl = kinds[pattern["kind"]]
        given: dict[str, Any] = {}
        for name, cond in (pattern.get("where") or {}).items():
            if _inside_plan(cond):
                given[name] = day
            elif _joined(cond):
                field = decl.fields[name]
                meets = {"earliest": {"lte", "lt"}, "latest": {"gte", "gt"}}.get(field.blank or "", set())
                if field.required or not set(cond) <= meets:
                    return None  # a condition a blank does not meet: the skeleton stays
            else:
                given[name] = _literal(cond)
        record = _record(decl, kinds, n, given, day - dt.timedelta(days=30))
        facts.setdefault(pattern["kind"], []).append(record)
        instances[pattern["as"]] = [record]
    decl = kinds[require["kind"]]
    rows = []
    for n, combo in enumerate(itertools.product(*[[(a, i) for i in found] for a, found in instances.items()]), 1):
        row, dated = _required_row(require.get("where") or {}, dict(combo), day)
        rows.append(_record(decl, kinds, n, row, dated))
    if not rows:
        return None
    required = require["kind"]
    return _cases(rule, last, {**facts, required: facts.get(required, []) + rows},
                  {**facts, required: facts.get(required, []) + rows[1:]})


def _required_row(where: dict[str, Any], env: dict[str, dict[str, Any]], day: dt.date) -> tuple[dict[str, Any],
                                                                                                  dt.date]:
    """The required record's values for one combination of the patterns' records and periods, and its day."""
    row: dict[str, Any] = {}
    dated = day
    for name, cond in where.items():
        if isinstance(cond, dict) and set(cond) == {"ref"}:
            alias, field = cond["ref"].split(".")
            row[name] = env[alias][field]
        elif isinstance(cond, dict) and {"gte", "lte"} == set(cond) and _joined(cond):
            alias = cond["gte"]["ref"].split(".")[0]
            if (cond["gte"], cond["lte"]) != ({"ref": f"{alias}.start"}, {"ref": f"{alias}.end"}):
                raise ValueError(name)
            period = env[alias]
            dated = row[name] = min(period["start"] + dt.timedelta(days=2), period["end"])
        elif _inside_plan(cond):
            row[name] = day
        else:
            row[name] = _literal(cond)
    return row, dated


def _inside_plan(cond: Any) -> bool:
    """A date between two of the plan's own days (`{gte: {param: plan_start}, lte: {param: as_of}}`)."""
    return isinstance(cond, dict) and bool(cond) and set(cond) <= {"gte", "lte", "gt", "lt"} and all(
        value in _INSIDE for value in cond.values())


def _joined(cond: Any) -> bool:
    """A comparison with a field of another pattern (`{lte: {ref: r.issued}}`)."""
    return isinstance(cond, dict) and bool(cond) and all(isinstance(v, dict) and "ref" in v for v in cond.values())


def _split_where(where: dict[str, Any], alias: str) -> tuple[dict[str, Any], str | None]:
    """Literal conditions (a field equal to a value, or in a list: its first) and the field dated inside the
    calendar pattern's period (`{gte: {ref: p.start}, lte: {ref: p.end}}`)."""
    literal: dict[str, Any] = {}
    dated = None
    for name, cond in where.items():
        if isinstance(cond, dict) and {"gte", "lte"} <= set(cond):
            refs = (cond["gte"], cond["lte"])
            if refs == ({"ref": f"{alias}.start"}, {"ref": f"{alias}.end"}):
                dated = name
                continue
            raise ValueError(name)
        literal[name] = _literal(cond)
    return literal, dated


def _literal(cond: Any) -> Any:
    if isinstance(cond, dict):
        if "in" in cond and cond["in"]:
            return cond["in"][0]
        if "eq" in cond:
            return cond["eq"]
        if cond.get("exists") is True:
            return _FILL
        raise ValueError(str(cond))
    return cond


_FILL = object()  # "any value": the field gets one its declaration allows


def _distinct_people(rule: dict[str, Any], kinds: dict[str, KindDecl], years: list[int]) -> dict[str, Any] | None:
    check = rule["check"]
    match, among, distinct = check.get("match") or [], check.get("among"), check.get("distinct")
    op, target = check.get("op"), check.get("target")
    if isinstance(target, dict) and "param" in target:
        target = (rule.get("params") or {}).get(target["param"])
    if not (len(match) == 2 and among and distinct and op in _EDGE and isinstance(target, int)):
        return None
    record, person = match
    alias, who = distinct.split(".")
    roster = kinds.get(among["kind"])
    decl = kinds.get(record["kind"])
    if alias != record["as"] or roster is None or decl is None or person["kind"] != among["kind"]:
        return None
    if (person.get("where") or {}).get(roster.key or "") != {"ref": distinct}:
        return None
    people_where = {k: _literal(v) for k, v in (among.get("where") or {}).items()}
    people_where.update({k: _literal(v) for k, v in person["where"].items() if k != roster.key})
    record_where = {k: _literal(v) for k, v in (record.get("where") or {}).items() if k != who}
    last = dt.date(max(years), 12, 31)
    passing, failing = (target + step for step in _EDGE[op])
    if min(passing, failing) < 0:
        return None

    def facts(n: int) -> dict[str, Any]:
        staff = [_record(roster, kinds, i, people_where) for i in range(1, max(passing, failing) + 1)]
        keys = [p[roster.key] for p in staff]  # type: ignore[index]
        rows = [_record(decl, kinds, i, {**record_where, who: keys[i - 1]}, last) for i in range(1, n + 1)]
        return {among["kind"]: staff, record["kind"]: rows}

    return _cases(rule, last, facts(passing), facts(failing))


def _records_counted(rule: dict[str, Any], kinds: dict[str, KindDecl], years: list[int]) -> dict[str, Any] | None:
    """A count of one kind's records dated inside the plan ("kết nạp 03 đảng viên mới": candidates admitted
    between plan_start and plan_end), over the plan or per year: as many records as the target passes, one
    fewer (one more for a cap) fails. A required reference gets a record of the kind it names."""
    check = rule["check"]
    match, op, target = check.get("match") or [], check.get("op"), check.get("target")
    if isinstance(target, dict) and "param" in target:
        target = (rule.get("params") or {}).get(target["param"])
    if len(match) != 1 or check.get("sum") or check.get("distinct") or op not in _EDGE or not isinstance(target, int):
        return None
    pattern = match[0]
    decl = kinds[pattern["kind"]]
    inside = ({"param": "plan_start"}, {"param": "plan_end"})
    given, dated = {}, None
    for name, cond in (pattern.get("where") or {}).items():
        if isinstance(cond, dict) and (cond.get("gte"), cond.get("lte")) == inside:
            dated = name
        else:
            given[name] = _literal(cond)
    yearly = (check.get("per") or {}).get("calendar") == "year"
    if dated is None or (check.get("per") and not yearly):
        return None
    passing, failing = (target + step for step in _EDGE[op])
    if min(passing, failing) < 1:  # no record at all is "no data", not a gap
        return None

    def facts(first_year: int) -> dict[str, Any]:
        out: dict[str, list[dict[str, Any]]] = {}
        for year in years if yearly else [max(years)]:
            day = dt.date(year, 6, 15)
            for _ in range(first_year if year == years[0] or not yearly else passing):
                row = {**given, dated: day}
                for name, field in decl.fields.items():  # a required reference: a record of that kind
                    if field.required and field.type == "ref" and name not in row and field.to in kinds:
                        other = _record(kinds[field.to], kinds, len(out.get(field.to, [])) + 1, {}, day)
                        out.setdefault(field.to, []).append(other)
                        row[name] = other[kinds[field.to].key]  # type: ignore[index]
                out.setdefault(pattern["kind"], []).append(
                    _record(decl, kinds, len(out.get(pattern["kind"], [])) + 1, row, day))
        return out

    return _cases(rule, dt.date(max(years), 12, 31), facts(passing), facts(failing))


def _coded_share(rule: dict[str, Any], kinds: dict[str, KindDecl], years: list[int]) -> dict[str, Any] | None:
    """A share of records whose code field is in a list, per year ("90% of members rated good", "the cell rated
    good every year"): a record a year (for each of three people when a roster is joined on the record's
    person) coded inside the list passes a floor; the first year's all coded outside it fails. A cap the
    other way round."""
    check = rule["check"]
    match, numerator, per = check.get("match") or [], check.get("numerator") or {}, check.get("per") or {}
    first = match[0] if match else {}
    (field, cond), = (numerator.get("where") or {}).items()
    per_alias, per_field = str(per.get("field", "")).split(".")
    if not (numerator.get("as") == first.get("as") == per_alias and per.get("calendar") == "year"
            and isinstance(cond, dict) and set(cond) == {"in"} and len(match) <= 2 and first["kind"] in kinds):
        return None
    decl = kinds[first["kind"]]
    inside = list(cond["in"])
    outside = [c for c in (decl.fields[field].codes or {}) if c not in inside]
    floor = check.get("op") in ("gte", "gt")
    if not inside or not outside or check.get("op") not in ("gte", "gt", "lte", "lt"):
        return None
    given = {k: _literal(v) for k, v in (first.get("where") or {}).items()}
    roster: list[dict[str, Any]] = []
    link: tuple[str, str] | None = None  # (the record's field, the roster's key)
    if len(match) == 2:
        people = kinds[match[1]["kind"]]
        joined = {k: v for k, v in (match[1].get("where") or {}).items()
                  if isinstance(v, dict) and str(v.get("ref", "")).startswith(first["as"] + ".")}
        (key, ref), = joined.items()
        literal = {k: _literal(v) for k, v in match[1]["where"].items() if k not in joined}
        roster = [_record(people, kinds, n, literal) for n in range(1, 4)]
        link = (ref["ref"].split(".")[1], key)

    def facts(first_year_code: str) -> dict[str, Any]:
        rows = []
        for year in years:
            code = first_year_code if year == years[0] else (inside[0] if floor else outside[0])
            people: list[dict[str, Any] | None] = list(roster) or [None]  # no roster: one record a year
            for n, person in enumerate(people, start=1):
                row = {**given, per_field: year, field: code}
                if link and person is not None:
                    row[link[0]] = person[link[1]]
                rows.append(_record(decl, kinds, n + 10 * (year - years[0]), row, dt.date(year, 12, 20)))
        return {first["kind"]: rows, **({match[1]["kind"]: roster} if roster else {})}

    good, bad = (inside[0], outside[0]) if floor else (outside[0], inside[0])
    return _cases(rule, dt.date(max(years), 12, 31), facts(good), facts(bad))


def _cases(rule: dict[str, Any], as_of: dt.date, passing: dict[str, Any], failing: dict[str, Any]) -> dict[str, Any]:
    return {"rule": rule["id"], "cases": [
        {"name": "đạt: dựng từ chính quy tắc / passes: built from the rule itself", "as_of": as_of,
         "facts": passing, "expect": {"status": "passed"}},
        {"name": "không đạt: dựng từ chính quy tắc / fails: built from the rule itself", "as_of": as_of,
         "facts": failing, "expect": {"status": "gap"}}]}


def _record(decl: KindDecl, kinds: dict[str, KindDecl], n: int, given: dict[str, Any],
            day: dt.date | None = None) -> dict[str, Any]:
    """A record of a kind: the given values, then a value for every other required field (and the key)."""
    record = {k: v for k, v in given.items() if v is not _FILL}
    for name, field in decl.fields.items():
        wanted = name in given or field.required or name == decl.key
        if name not in record and wanted:
            record[name] = _value(field, n, name, day)
    return record


def _value(field: FieldDecl, n: int, name: str, day: dt.date | None) -> Any:
    """A value the declaration allows: a code it lists, a date inside the plan, a number, a unique text."""
    if field.type == "code":
        return next(iter(field.codes or {}))  # none declared: StopIteration, the skeleton stays
    if field.type in ("ref", "refs"):
        raise ValueError(name)  # a record of another kind would be needed: the skeleton stays
    if field.type in ("date", "week"):
        base = day or dt.date.today()
        return base - dt.timedelta(days=base.weekday()) if field.type == "week" else base
    if field.type == "yesno":
        return True
    if field.type == "year":
        return (day or dt.date.today()).year
    if field.type in ("count", "integer", "number", "percent"):
        return int(field.min) if field.min is not None else 1
    return f"{name.upper()[:3]}{n:02d}"
