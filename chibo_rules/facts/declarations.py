"""Kinds of facts declared as YAML data: the library shipped with chibo, and each plan's own kinds.

A declaration names a kind's fields (type, required, default, Vietnamese header and help, codes with
their Vietnamese and English labels and other accepted spellings), its key, how a record is named,
the field that dates it, the fields that must be unique together, later-event dates and cross-field
checks. A plan may extend a library kind (more fields, more codes, fields made required) without
copying it. Nothing here is executed: `schema.py` turns the merged declarations into strict pydantic
models. See docs/plan-format.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .. import safeyaml
from ..errors import InputError, Problem
from . import files, plancache
from .values import fold, header_key

TYPES = ("text", "ref", "refs", "list", "code", "yesno", "date", "week", "year", "school_year", "count",
         "integer", "number", "percent")
KIND_NAME = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Words(_Strict):
    vi: str
    en: str


class CodeDecl(_Strict):
    """One code of a coded field: its Vietnamese and English labels and other spellings people type."""

    vi: str
    en: str
    spellings: list[str] = []

    def accepted(self) -> tuple[str, ...]:
        return (self.vi, *self.spellings, self.en)


class FieldDecl(_Strict):
    type: Literal[TYPES]  # type: ignore[valid-type]
    required: bool = False
    default: Any = None
    header: str | None = None
    help: str | None = None
    label: Words | None = None
    to: str | None = None
    codes: dict[str, CodeDecl] | None = None
    min: float | None = None
    max: float | None = None
    blank: Literal["earliest", "latest"] | None = None

    @model_validator(mode="after")
    def _shape(self) -> FieldDecl:
        if self.type in ("ref", "refs") and not self.to:
            raise ValueError(f"a {self.type} field names the kind it refers to: 'to'")
        if self.to and self.type not in ("ref", "refs"):
            raise ValueError("'to' belongs to a ref or refs field")
        if self.codes is not None and self.type != "code":
            raise ValueError("'codes' belong to a code field")
        if self.type == "code" and self.codes is None:
            raise ValueError("a code field lists its codes (an empty mapping lets a plan add them)")
        if self.blank and self.type != "date":
            raise ValueError("'blank' belongs to a date field")
        if (self.min is not None or self.max is not None) and self.type not in ("integer", "number", "count"):
            raise ValueError("'min'/'max' belong to a number field")
        return self


class KindDecl(_Strict):
    kind: str = Field(pattern=KIND_NAME)
    label: Words
    sheet: str = Field(min_length=1, max_length=31, pattern=r"^[^\[\]:*?/\\]+$")
    help: str = ""
    help_en: str = ""
    key: str | None = None
    label_fields: list[str] = []
    # the field naming whom a record is about (a timesheet's person, a decision's owner): who owes its gap,
    # whom a personal exemption covers
    who: str | None = None
    dated_by: str | None = None
    unique: list[str] = []
    events: list[str] = []
    any_date: bool = False
    checks: list[dict[str, Any]] = []
    fields: dict[str, FieldDecl]
    # where it was declared (and extended): for messages and the generated docs
    source: str = ""

    @model_validator(mode="after")
    def _names(self) -> KindDecl:
        known = set(self.fields)
        named = [self.key] if self.key else []
        named += self.label_fields + self.unique + self.events + [n for n in (self.dated_by, self.who) if n]
        unknown = [n for n in named if n not in known]
        if unknown:
            raise ValueError(f"names fields the kind does not have: {', '.join(unknown)}")
        if self.key and self.key in self.fields and not self.fields[self.key].required:
            raise ValueError(f"the key '{self.key}' must be a required field")
        if self.dated_by and self.fields[self.dated_by].type not in ("date", "week"):
            raise ValueError(f"dated_by '{self.dated_by}' must be a date or week field")
        if self.who and self.fields[self.who].type != "ref":
            raise ValueError(f"who '{self.who}' must be a ref field (to the roster)")
        for name in self.events:
            if self.fields[name].type != "date":
                raise ValueError(f"event '{name}' must be a date field")
        for name in self.fields:
            if name in ("id", "t", "key", "rule", "dim"):
                raise ValueError(f"'{name}' is reserved and cannot name a field")
        return self


class Extension(_Strict):
    """A plan's additions to a library kind: fields, codes of existing coded fields, fields made required."""

    extends: str
    fields: dict[str, FieldDecl] = {}
    codes: dict[str, dict[str, CodeDecl]] = {}
    required: list[str] = []
    sheet: str | None = None
    help: str | None = None
    any_date: bool | None = None  # e.g. a cell whose decisions reach back before the plan's years


def _problems(path: Path, exc: ValidationError, node: yaml.Node | None) -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(str(p) for p in err["loc"])
        out.append(Problem(str(path), safeyaml.line_of(node, loc), ".".join(loc) or None, "kind_decl",
                           err["msg"].removeprefix("Value error, ")))
    return out


def read_yaml_file(path: Path, finite: bool = True) -> tuple[Any, yaml.Node | None]:
    """A YAML data file and its node tree (for line numbers); InputError on a syntax or encoding error, on a
    key given twice (each, with its path of keys), on a number that is not finite (`.inf`, `.nan`: no target,
    parameter, setting or bound can be one; `finite=False` leaves them to the caller, as a rule test's records
    go to the fact parsers), and for anything but a regular file of files.MAX_YAML_BYTES at most (a FIFO among
    the rules would hang the loader)."""
    try:
        raw = files.read_regular(path, files.MAX_YAML_BYTES)
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(str(path), None, None, "encoding", f"byte {exc.start}")]) from None
    except files.Refused as refused:
        raise InputError([refused.problem(str(path))]) from None
    cache = plancache.active() if finite else None  # rule tests' records (finite=False) are read each time
    key = plancache.file_key(path, raw) if cache is not None else ""
    hit = cache.get(path, key) if cache is not None else None
    if hit is not None:
        return hit  # parsed before, from these very bytes, without a problem; lines as safeyaml.line_of reads them
    try:
        data, node = safeyaml.load(text, with_node=True)
    except safeyaml.DuplicateKeyError as exc:
        raise InputError([Problem(str(path), d.line, ".".join(d.path), "duplicate_yaml_key", str(d.first))
                          for d in exc.duplicates]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError([Problem(str(path), mark.line + 1 if mark else None, None, "yaml",
                                  str(getattr(exc, "problem", "") or exc))]) from None
    infinite = safeyaml.not_finite(node) if finite else []
    if infinite:
        raise InputError([Problem(str(path), f.line, ".".join(f.path) or None, "not_finite", "", f.text)
                          for f in infinite])
    if cache is not None:
        cache.put(path, key, data, node)
    return data, node


def _yaml_files(folder: Path) -> tuple[list[Path], list[Problem]]:
    """The *.yaml files of a folder, sorted; a *.yml file is reported, not silently skipped."""
    if not folder.is_dir():
        return [], []
    problems = [Problem(str(p), None, None, "yml_suffix") for p in sorted(folder.glob("*.yml"))]
    return sorted(folder.glob("*.yaml")), problems


def read_kinds(folder: Path) -> tuple[list[KindDecl], list[tuple[Extension, Path]], list[Problem]]:
    """Every declaration and extension in a kinds folder, with all problems at once."""
    decls: list[KindDecl] = []
    extensions: list[tuple[Extension, Path]] = []
    paths, problems = _yaml_files(folder)
    for path in paths:
        try:
            data, node = read_yaml_file(path)
        except InputError as err:
            problems += err.problems
            continue
        if not isinstance(data, dict):
            problems.append(Problem(str(path), 1, None, "kind_decl", "a kind declaration is a mapping"))
            continue
        try:
            if "extends" in data:
                extensions.append((Extension.model_validate(data), path))
            else:
                decl = KindDecl.model_validate({**data, "source": str(path)})
                if decl.kind != path.stem:
                    problems.append(Problem(str(path), safeyaml.line_of(node, ("kind",)), "kind", "kind_decl",
                                            f"the file of kind '{decl.kind}' must be named {decl.kind}.yaml"))
                    continue
                decls.append(decl)
        except ValidationError as exc:
            problems += _problems(path, exc, node)
    return decls, extensions, problems


def extend(base: KindDecl, ext: Extension, path: Path) -> tuple[KindDecl | None, list[Problem]]:
    """A library kind with a plan's additions; a clash (a field declared twice, codes for a field that is
    not coded, a code declared twice) is a problem naming the extension's file."""
    problems = []
    fields = dict(base.fields)
    for name, decl in ext.fields.items():
        if name in fields:
            problems.append(Problem(str(path), None, f"fields.{name}", "kind_decl",
                                    f"'{name}' is already a field of '{base.kind}'"))
        fields[name] = decl
    for name, codes in ext.codes.items():
        field = fields.get(name)
        if field is None or field.type != "code":
            problems.append(Problem(str(path), None, f"codes.{name}", "kind_decl",
                                    f"'{base.kind}' has no coded field '{name}'"))
            continue
        merged = _merge_codes(field.codes or {}, codes)
        redeclared = set(codes) & set(field.codes or {})
        problems += [Problem(str(path), None, f"codes.{name}", "kind_decl", text)
                     for text in _spelling_clashes(merged, redeclared)]
        fields[name] = field.model_copy(update={"codes": merged})
    for name in ext.required:
        if name not in fields:
            problems.append(Problem(str(path), None, "required", "kind_decl", f"no field '{name}'"))
            continue
        fields[name] = fields[name].model_copy(update={"required": True})
    if problems:
        return None, problems
    update: dict[str, Any] = {"fields": fields, "source": f"{base.source}, {path}"}
    if ext.sheet:
        update["sheet"] = ext.sheet
    if ext.help:
        update["help"] = ext.help
    if ext.any_date is not None:
        update["any_date"] = ext.any_date
    return base.model_copy(update=update), []


def _merge_codes(base: dict[str, CodeDecl], more: dict[str, CodeDecl]) -> dict[str, CodeDecl]:
    """A library field's codes with a plan's: a new code is added; a code the library has gets the plan's
    labels (a cell says "trong sạch vững mạnh" where the library says "hoàn thành xuất sắc nhiệm vụ") and
    keeps everything the library accepted as spellings, so no record that read before stops reading."""
    merged = dict(base)
    for code, decl in more.items():
        old = base.get(code)
        if old is None:
            merged[code] = decl
            continue
        spellings = [s for s in (*decl.spellings, *old.accepted()) if s not in (decl.vi, decl.en)]
        merged[code] = CodeDecl(vi=decl.vi, en=decl.en, spellings=list(dict.fromkeys(spellings)))
    return merged


def _spelling_clashes(codes: dict[str, CodeDecl], redeclared: set[str]) -> list[str]:
    """A spelling a re-declared library code shares with another code (as values are matched: any case, with
    or without diacritics) would make a typed value mean whichever came first: refused instead."""
    owner: dict[str, str] = {}
    clashes = []
    for code, decl in codes.items():
        for spelling in sorted({fold(s) for s in (code, *decl.accepted())}):
            other = owner.setdefault(spelling, code)
            if other != code and redeclared & {code, other}:
                clashes.append(f"'{spelling}' is accepted for both '{other}' and '{code}'")
    return clashes


def merge(library: Path, plan_kinds: Path | None,
          layers: tuple[Path, ...] = ()) -> tuple[dict[str, KindDecl], KindDecl, list[Problem]]:
    """The kinds a plan knows: the library's, then each library extension it uses (`uses: [school]`: the kinds
    only schools keep, in rules/library-school/kinds), then the plan's own kinds and extensions; and the cell."""
    problems: list[Problem] = []
    cell_decl = None
    cell_path = library / "cell.yaml"
    try:
        data, node = read_yaml_file(cell_path)
        if not isinstance(data, dict):
            raise InputError([Problem(str(cell_path), 1, None, "kind_decl", "a kind declaration is a mapping")])
        cell_decl = KindDecl.model_validate({**data, "source": str(cell_path)})
    except InputError as err:
        problems += err.problems
    except ValidationError as exc:
        problems += _problems(cell_path, exc, None)
    lib, lib_ext, found = read_kinds(library / "kinds")
    problems += found + [Problem(str(p), None, "extends", "kind_decl", "the library does not extend kinds")
                         for _, p in lib_ext]
    kinds = {d.kind: d for d in lib}
    for folder in (*layers, *([plan_kinds] if plan_kinds is not None else [])):
        problems += _add_kinds(kinds, folder)
    problems += _cross_check(kinds, cell_decl)
    if problems or cell_decl is None:
        raise InputError(problems)
    return kinds, cell_decl, []


def _add_kinds(kinds: dict[str, KindDecl], folder: Path) -> list[Problem]:
    """A folder's own kinds and its extensions of the kinds known so far, added to `kinds`; the problems."""
    own, extensions, problems = read_kinds(folder)
    for decl in own:
        if decl.kind in kinds:
            problems.append(Problem(decl.source, None, "kind", "kind_decl",
                                    f"'{decl.kind}' is a library kind: extend it (extends: {decl.kind})"))
            continue
        kinds[decl.kind] = decl
    for ext, path in extensions:
        base = kinds.get(ext.extends)
        if base is None:
            problems.append(Problem(str(path), None, "extends", "kind_decl", f"no kind '{ext.extends}' to extend"))
            continue
        merged, found = extend(base, ext, path)
        problems += found
        if merged is not None:
            kinds[ext.extends] = merged
    return problems


def _cross_check(kinds: dict[str, KindDecl], cell: KindDecl | None) -> list[Problem]:
    """References point at kinds with a key; sheet names are distinct (as Excel compares them)."""
    problems = []
    sheets: dict[str, str] = {}
    for decl in [*kinds.values(), *([cell] if cell else [])]:
        for name, field in decl.fields.items():
            if field.to is not None:
                target = kinds.get(field.to)
                if target is None or target.key is None:
                    problems.append(Problem(decl.source, None, f"fields.{name}.to", "kind_decl",
                                            f"'{field.to}' is not a kind with a key"))
        folded = header_key(decl.sheet)
        if folded in sheets:
            problems.append(Problem(decl.source, None, "sheet", "kind_decl", f"same sheet as {sheets[folded]}"))
        sheets[folded] = decl.kind
        problems += _header_clashes(decl)
    return problems


def _header_clashes(decl: KindDecl) -> list[Problem]:
    """A column header must name one field: two fields with the same header (as headers are matched:
    any case, with or without diacritics), or a header that is another field's English name, is refused."""
    problems = []
    names = {header_key(name): name for name in decl.fields}
    seen: dict[str, str] = {}
    for name, field in decl.fields.items():
        if not field.header:
            continue
        key = header_key(field.header)
        other = seen.get(key) or (names[key] if key in names and names[key] != name else None)
        if other:
            problems.append(Problem(decl.source, None, f"fields.{name}.header", "kind_decl",
                                    f"'{field.header}' already names the field '{other}' of {decl.kind}"))
        seen[key] = name
    return problems
