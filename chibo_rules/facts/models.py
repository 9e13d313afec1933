"""Strict pydantic models built from kind declarations (declarations.py): one model per kind of fact.

The value types are the only Python that knows what a field holds: each type parses what a
secretary typed (values.py) and never coerces beyond it. Models are strict (unknown columns are
refused) and frozen. A cross-field check of a declaration becomes an after-validator whose message
starts with "[field] ": the cell a problem report points at.
"""

from __future__ import annotations

import datetime as dt
import typing
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, create_model, model_validator

from . import values as v
from .declarations import FieldDecl, KindDecl
from .fact import Fact

EARLIEST, LATEST = dt.date(1000, 1, 1), dt.date(9999, 12, 31)


class Choices(tuple):
    """Metadata on a coded field: its codes, the Vietnamese and English label of each, and every
    spelling accepted for it."""

    labels: dict[str, str]
    labels_en: dict[str, str]
    accepted: dict[str, tuple[str, ...]]

    def __new__(cls, decl: FieldDecl) -> Choices:
        codes = decl.codes or {}
        obj = super().__new__(cls, codes)
        obj.labels = {code: c.vi for code, c in codes.items()}
        obj.labels_en = {code: c.en for code, c in codes.items()}
        obj.accepted = {code: c.accepted() for code, c in codes.items()}
        return obj

    def label(self, code: str, lang: str) -> str:
        return (self.labels if lang == "vi" else self.labels_en).get(code, code)


def field_choices(model: type[BaseModel], name: str) -> Choices | None:
    """The codes of a coded field (also when optional), or None."""
    info = model.model_fields[name]
    found = [m for m in info.metadata if isinstance(m, Choices)]
    for arg in typing.get_args(info.annotation):
        found += [m for m in getattr(arg, "__metadata__", ()) if isinstance(m, Choices)]
    return found[0] if found else None


def _text(x: Any) -> Any:
    if isinstance(x, str):
        return v.nfc(x.strip())
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return str(x)
    return x


def _nonempty(x: Any) -> Any:
    if not x:
        raise ValueError("must not be empty")
    return x


def _monday(day: dt.date) -> dt.date:
    if day.weekday() != 0:
        raise ValueError("must be a Monday (the week's first day)")
    return day


MEMO_SIZE = 4096  # distinct typed values remembered per field: a cell repeats its dates, codes and names


def _memo(parse: Any) -> Any:
    """`parse` remembering what it made of each text: a cell's 2,000 rows repeat a few hundred distinct
    values (weeks, codes, people), and parsing each again was half of loading a cell. Only text inputs and
    immutable results are remembered; a value that fails is parsed (and reported) every time."""
    seen: dict[str, Any] = {}

    def parse_text(x: Any) -> Any:
        if type(x) is not str:
            return parse(x)
        try:
            return seen[x]
        except KeyError:
            out = parse(x)
            if len(seen) < MEMO_SIZE:
                seen[x] = out
            return out

    return parse_text


def _choice(choices: Choices) -> Any:
    """The code a typed value names: every spelling folded once per field, not once per row."""
    folded: dict[str, str] = {}
    for code, spellings in choices.accepted.items():
        for spelling in (code, *spellings):
            folded.setdefault(v.fold(spelling), code)

    def parse(x: Any) -> str:
        if isinstance(x, str):
            code = folded.get(v.fold(x))
            if code is not None:
                return code
        return v.parse_choice(x, choices.accepted, choices.labels)  # the error message, listing the codes

    return BeforeValidator(_memo(parse))


def value_type(decl: FieldDecl) -> Any:
    """The annotated Python type of a declared field type."""
    kind = decl.type
    bounds: dict[str, Any] = {}
    if decl.min is not None:
        bounds["ge"] = decl.min
    if decl.max is not None:
        bounds["le"] = decl.max
    if kind in ("text", "ref"):
        return Annotated[str, BeforeValidator(_memo(_text)), AfterValidator(_nonempty)]
    if kind in ("refs", "list"):
        return Annotated[list[str], BeforeValidator(v.parse_list)]
    if kind == "code":
        choices = Choices(decl)
        return Annotated[str, _choice(choices), choices]
    if kind == "yesno":
        return Annotated[bool, BeforeValidator(_memo(v.parse_bool))]
    if kind == "date":
        return Annotated[dt.date, BeforeValidator(_memo(v.parse_date))]
    if kind == "week":
        return Annotated[dt.date, BeforeValidator(_memo(v.parse_date)), AfterValidator(_monday)]
    if kind == "year":
        return Annotated[int, BeforeValidator(_memo(v.parse_int)), Field(ge=1900, le=2100)]
    if kind == "school_year":
        return Annotated[str, BeforeValidator(_memo(_text)), Field(pattern=r"^\d{4}-\d{4}$")]
    if kind == "count":
        return Annotated[int, BeforeValidator(_memo(v.parse_int)), Field(ge=max(0, bounds.pop("ge", 0)), **bounds)]
    if kind == "integer":
        return Annotated[int, BeforeValidator(_memo(v.parse_int)), Field(**bounds)]
    if kind == "number":
        return Annotated[float, BeforeValidator(_memo(v.parse_number)), Field(ge=max(0, bounds.pop("ge", 0)), **bounds)]
    if kind == "percent":
        return Annotated[float, BeforeValidator(_memo(v.parse_percent)), Field(ge=0, le=100)]
    raise ValueError(f"unknown type {kind}")


_OPS = {"lt": (lambda a, b: a < b, ">="), "lte": (lambda a, b: a <= b, ">"),
        "gt": (lambda a, b: a > b, "<="), "gte": (lambda a, b: a >= b, "<")}


def _check(decl: KindDecl, check: dict[str, Any]) -> Any:
    """One declared cross-field check as a function of a record; None when it holds."""
    op = next((k for k in _OPS if k in check), None)
    if "percent" in check:
        rate, (num, den) = check["percent"], check["of"]
        tolerance = float(check.get("tolerance", 0.5))

        def percent(obj: Any) -> str | None:
            r, n, d = getattr(obj, rate), getattr(obj, num), getattr(obj, den)
            if None in (r, n, d) or not d or abs(r - 100 * n / d) <= tolerance:
                return None
            return f"[{rate}] the counts do not add up: {rate} {r:g}% but {n}/{d}"

        return percent
    if op is None:
        raise ValueError(f"{decl.kind}: a check needs lt, lte, gt or gte: {check}")
    test, broken = _OPS[op]
    other = check[op]
    if "sum" in check:
        parts = list(check["sum"])

        def summed(obj: Any) -> str | None:
            values = [getattr(obj, p) for p in parts if getattr(obj, p) is not None]
            total, limit = sum(values), getattr(obj, other)
            if not values or limit is None or test(total, limit):
                return None
            return (f"[{other}] the counts do not add up: {' + '.join(parts)} = {total} {broken} "
                    f"{other} {limit}")

        return summed
    name = check["field"]
    dated = decl.fields[name].type in ("date", "week")

    def single(obj: Any) -> str | None:
        value, limit = getattr(obj, name), getattr(obj, other)
        if value is None or limit is None or test(value, limit):
            return None
        if dated:
            return f"[{name}] must not be {'before' if op in ('gt', 'gte') else 'after'} {other}"
        return f"[{name}] the counts do not add up: {name} {value} {broken} {other} {limit}"

    return single


def build_model(decl: KindDecl, references: bool = True) -> type[Fact]:
    """A strict pydantic model from a kind declaration, carrying the declaration."""
    fields: dict[str, Any] = {}
    for name, field in decl.fields.items():
        annotation = value_type(field)
        if field.required:
            fields[name] = (annotation, ...)
        elif field.default is not None:
            fields[name] = (annotation, Field(default=_default(field)))
        elif field.type in ("refs", "list"):
            fields[name] = (annotation, Field(default_factory=list))
        else:
            fields[name] = (annotation | None, None)
    checks = [_check(decl, c) for c in decl.checks]
    # model_validator gives a descriptor, which create_model takes although its signature names only callables
    validators: dict[str, Any] = {}
    if checks:
        def run_checks(self: Any) -> Any:
            for check in checks:
                message = check(self)
                if message:
                    raise ValueError(message)
            return self

        validators["declared_checks"] = model_validator(mode="after")(run_checks)
    model = create_model(
        "".join(part.title() for part in decl.kind.split("_")), __base__=Fact, __validators__=validators, **fields
    )
    model.KIND = decl.kind
    model.KEY = decl.key
    model.LABEL = tuple(decl.label_fields)
    model.REFERENCES = {n: f.to for n, f in decl.fields.items() if f.to} if references else {}
    model.DECL = decl
    return model


def _default(field: FieldDecl) -> Any:
    """A declared default, parsed as typed input would be (so `default: 0` of a count is 0)."""
    if field.type == "yesno":
        return v.parse_bool(field.default)
    if field.type in ("count", "integer", "year"):
        return v.parse_int(field.default)
    if field.type in ("number", "percent"):
        return float(field.default)
    return field.default
