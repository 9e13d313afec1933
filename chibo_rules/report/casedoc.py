"""The case-format document (docs/case-format.md), generated from the kind declarations.

Why generated: a secretary fills a case from this document, and the loader reads the case from the
declarations (rules/library/cell.yaml, rules/library/kinds/*.yaml, rules/<plan>/kinds/*.yaml). A
hand-written document drifted from them field by field; generated, it cannot: every kind, field,
Vietnamese header, type, default, code and spelling it lists is the one the loader accepts, and the
rules said to read a kind are those of the plan's own rule files. What the declarations do not hold —
how a case folder or workbook is laid out, how values are written, what a blank cell or the as-of date
means, the limits on what is read — describes the loader's code, so it is fixed text (Vietnamese first, then
English) in template files, chibo_rules/words/casedoc/*.md (@NAME@ marks a value filled in here), with the
types' table in casedoc/types.yaml and what chibo does with a library kind in words/casedoc.yaml; the limits are
stated from their constants (facts/files.py).

It sits in the report layer, above the plans it documents: it takes the library and each plan's schema
and rules as data (`render`); `case_format` loads them from plan folders through the rule loader and
jobs/plans.py. (It lived in facts/ once and imported those upward; the layers contract in pyproject.toml
now forbids that.) `chibo docs case-format` prints the document; tests/test_docs.py keeps the committed copy equal
to it.
"""

from __future__ import annotations

import csv
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..facts import files
from ..facts.declarations import FieldDecl, KindDecl, merge
from ..facts.schema import Schema
from ..facts.values import MAX_DIGITS
from ..jobs.plans import bundled_plans
from ..ruleset.rulespec import bundled_rules_root, library_of, load_rules
from ..words import has, pair, template

REGENERATE = "chibo docs case-format --output docs/case-format.md"


@dataclass(frozen=True)
class Library:
    """The shared library: its kinds (as declared, before any plan extends them) and the cell."""

    kinds: dict[str, KindDecl]
    cell: KindDecl
    name: str = "library"  # its folder's name under rules/


@dataclass(frozen=True)
class PlanDoc:
    """One plan as the document shows it. `rules`: objects with `id`, `job`, `title` (`.vi`, `.en`) and
    `kinds()` (the kinds a rule reads), as loaded from the plan's rule files."""

    id: str
    name_vi: str
    name_en: str
    years: tuple[int, ...]
    schema: Schema
    rules: Sequence[Any] = ()


# --------------------------------------------------------------------------- loading plans


def case_format(folders: Sequence[Path] | None = None) -> str:
    """The document for these plan folders (default: the plans bundled with chibo). Section 4 documents the
    library of the first plan (every bundled plan uses rules/library). InputError lists the problems of a
    plan that does not load."""
    if folders is None:
        folders = bundled_plans()
    plans: list[PlanDoc] = []
    library_dir: Path | None = None
    for folder in folders:
        ruleset = load_rules(Path(folder))
        library_dir = library_dir or library_of(Path(folder), ruleset.plan)
        plan = ruleset.plan
        plans.append(PlanDoc(plan.id, plan.name.vi, plan.name.en, tuple(plan.years), ruleset.schema,
                             list(ruleset.rules)))
    library_dir = library_dir or bundled_rules_root() / "library"
    kinds, cell, _ = merge(library_dir, None)
    return render(Library(kinds, cell, library_dir.name), plans)


# --------------------------------------------------------------------------- the document


def render(library: Library, plans: Sequence[PlanDoc]) -> str:
    """The whole document, Markdown."""
    last = 4 + len(plans)
    parts = [_intro(library, plans), template("casedoc/folder-layout.md", LAST=str(last)),
             template("casedoc/workbook.md", LAST=str(last)), _limits(), _value_formats(), _cell_section(library),
             _library_section(library, plans)]
    for number, plan in enumerate(plans, start=5):
        parts.append(_plan_section(number, plan, library))
    return "\n".join(p.rstrip("\n") + "\n" for p in parts)


def _intro(library: Library, plans: Sequence[PlanDoc]) -> str:
    ids = ", ".join(f"`{p.id}`" for p in plans) or "—"
    plan_list_vi = "; ".join(f"mục {i} — `{p.id}`" for i, p in enumerate(plans, start=5))
    plan_list_en = "; ".join(f"section {i} — `{p.id}`" for i, p in enumerate(plans, start=5))
    return template("casedoc/intro.md", REGENERATE=REGENERATE, N=str(len(library.kinds)), PLAN_LIST_VI=plan_list_vi,
                    PLAN_LIST_EN=plan_list_en, LIBRARY=library.name, IDS=ids)


def _n(number: int) -> str:
    """A number as the document writes it: 300 000."""
    return f"{number:,}".replace(",", " ")


# the limits section 1.2 states: counts as the document writes numbers, sizes in MiB
COUNTED = ("MAX_ROWS", "MAX_CASE_ROWS", "MAX_COLUMNS", "MAX_FILES", "MAX_ZIP_PARTS", "MAX_RATIO",
           "MAX_PROBLEMS_PER_FILE", "MAX_PROBLEMS")
SIZES = ("MAX_CSV_BYTES", "MAX_LINE_BYTES", "MAX_YAML_BYTES", "MAX_WORKBOOK_BYTES", "MAX_SHEET_PART", "MAX_XML_PART",
         "MAX_UNZIPPED")


def _limits() -> str:
    """Section 1.2: the limits of files.py (and values.py), stated with their values."""
    values = {name: _n(getattr(files, name)) for name in COUNTED}
    values.update({name: files.mib(getattr(files, name)) for name in SIZES})
    return template("casedoc/limits.md", MAX_DIGITS=_n(MAX_DIGITS), **values)


HEADER_ROW = ("| trường / field | tiêu đề tiếng Việt / Vietnamese header | kiểu / type | bắt buộc / req. "
              "| ý nghĩa, hướng dẫn / meaning, help | giá trị / accepted |\n|---|---|---|---|---|---|\n")
OPS = {"lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}


@functools.cache
def _types() -> dict[str, dict[str, str]]:
    """The types of fields as the document names them (words/casedoc/types.yaml): label, accepted, examples."""
    types: dict[str, dict[str, str]] = yaml.safe_load(template("casedoc/types.yaml"))
    return types


def _value_formats() -> str:
    rows = "".join(f"| {t['label']} | {t['accepted']} | {t['examples']} |\n" for t in _types().values())
    return template("casedoc/values-intro.md") + rows + "\n" + template("casedoc/values-outro.md")


def _cell_section(library: Library) -> str:
    return (template("casedoc/cell-intro.md") + "\n" + _field_table(library.cell, library.cell.fields, library.kinds)
            + "\n" + template("casedoc/cell-outro.md"))


# --------------------------------------------------------------------------- kinds


def _cell_text(text: str) -> str:
    """Text inside a Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _quoted(text: str) -> str:
    return f"“{text}”"


def _codes(field: FieldDecl) -> str:
    if not field.codes:
        return "do kế hoạch khai báo (mục 5 trở đi) / declared by each plan (section 5 on)"
    return "; ".join(
        f"`{code}`: {', '.join(_quoted(s) for s in (c.vi, *c.spellings))} / {_quoted(c.en)}"
        for code, c in field.codes.items()
    )


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _accepted(decl: KindDecl, name: str, field: FieldDecl, kinds: dict[str, KindDecl]) -> str:
    parts: list[str] = []
    if name == decl.key:
        parts.append("duy nhất trong tệp / unique in the file")
    if field.type in ("ref", "refs") and field.to:
        target = kinds.get(field.to)
        key = target.key if target is not None and target.key else "?"
        sheet = target.sheet if target is not None else "?"
        if field.type == "ref":
            parts.append(f"một mã trong cột `{key}` của `{field.to}` (trang `{sheet}`) / a `{key}` of `{field.to}`")
        else:
            parts.append(f"các mã trong cột `{key}` của `{field.to}` (trang `{sheet}`), ngăn cách bằng `;` / "
                         f"`{key}` codes of `{field.to}`, separated by `;`")
    if field.type == "list":
        parts.append("ngăn cách bằng `;` / separated by `;`")
    if field.type == "code":
        parts.append(_codes(field))
    if field.type == "week":
        parts.append("một ngày thứ Hai / a Monday")
    if field.min is not None and field.max is not None:
        parts.append(f"từ {_number(field.min)} đến {_number(field.max)} / from {field.min:g} to {field.max:g}")
    elif field.min is not None:
        parts.append(f"≥ {_number(field.min)}")
    elif field.max is not None:
        parts.append(f"≤ {_number(field.max)}")
    if field.blank == "earliest":
        parts.append("trống = từ trước đến nay / blank = since always")
    elif field.blank == "latest":
        parts.append("trống = đến nay / blank = until now")
    if name == decl.dated_by:
        parts.append("ngày mốc / the dating field")
    if name in decl.events:
        parts.append("ngày sau ngày tính đến coi như chưa ghi / a date after the as-of date counts as not recorded")
    return "; ".join(parts)


def _default(field: FieldDecl) -> str:
    value = field.default
    if field.type == "yesno" or isinstance(value, bool):
        truthy = value is True or str(value).strip().lower() in ("true", "yes", "có", "1", "x")
        return "có / yes" if truthy else "không / no"
    return f"`{value}`"


def _required(field: FieldDecl) -> str:
    if field.required:
        return "có / yes"
    if field.default is not None:
        return f"không / no (mặc định / default: {_default(field)})"
    return "không / no"


def _meaning(field: FieldDecl) -> str:
    parts = []
    if field.label is not None:
        parts.append(f"{field.label.vi} / {field.label.en}")
    if field.help:
        parts.append(field.help)
    return " — ".join(parts)


def _field_row(decl: KindDecl, name: str, field: FieldDecl, kinds: dict[str, KindDecl]) -> str:
    cells = [f"`{name}`", field.header or "", _types()[field.type]['label'], _required(field), _meaning(field),
             _accepted(decl, name, field, kinds)]
    return "| " + " | ".join(_cell_text(c) for c in cells) + " |\n"


def _field_table(decl: KindDecl, fields: dict[str, FieldDecl], kinds: dict[str, KindDecl]) -> str:
    return HEADER_ROW + "".join(_field_row(decl, n, f, kinds) for n, f in fields.items())


def _check_text(check: dict[str, Any]) -> str:
    """A declared cross-field check, and the column a row breaking it is reported on (models.py)."""
    op = next((k for k in OPS if k in check), None)
    if "percent" in check:
        num, den = check["of"]
        tolerance = _number(float(check.get("tolerance", 0.5)))
        text, column = f"`{check['percent']}` ≈ 100 × `{num}` / `{den}` (± {tolerance})", check["percent"]
    elif op is None:
        return f"`{check}`"
    elif "sum" in check:
        text, column = f"{' + '.join(f'`{p}`' for p in check['sum'])} {OPS[op]} `{check[op]}`", check[op]
    else:
        text, column = f"`{check['field']}` {OPS[op]} `{check[op]}`", check["field"]
    return f"{text} (lỗi ở cột / error on `{column}`)"


def _file_paragraph(decl: KindDecl) -> str:
    kind = decl.kind
    parts = [f"Tệp / file: `{kind}.csv` (hoặc / or `{kind}.yaml`)."]
    if decl.key:
        parts.append(f"Mã / key: `{decl.key}` (duy nhất / unique).")
    if decl.unique:
        parts.append(f"Không trùng / unique: ({', '.join(f'`{u}`' for u in decl.unique)}).")
    references = [f"`{n}` → `{f.to}`" for n, f in decl.fields.items() if f.to]
    if references:
        parts.append(f"Tham chiếu / references: {', '.join(references)}.")
    if decl.dated_by:
        dated = f"`{decl.dated_by}`"
        if decl.any_date:
            dated += " (có thể ngoài các năm của kế hoạch / may fall outside the plan's years)"
    else:
        dated = "không / none"
    parts.append(f"Ngày mốc / dated by: {dated}.")
    if decl.events:
        parts.append(f"Việc xảy ra sau / later events: {', '.join(f'`{e}`' for e in decl.events)}.")
    parts.append(f"Trang tính / sheet: `{decl.sheet}`.")
    return " ".join(parts)


def _help_paragraph(decl: KindDecl) -> str:
    text = " ".join(decl.help.split())
    if decl.help_en:
        text += f" — *{' '.join(decl.help_en.split())}*"
    return text


def _checks_paragraph(decl: KindDecl) -> str:
    if not decl.checks:
        return ""
    checks = "; ".join(_check_text(c) for c in decl.checks)
    return (f"Kiểm tra chéo / cross-field checks: {checks}. Khi một trong hai bên để trống thì không xét / not checked "
            "when a side is blank.\n")


def _header_block(decl: KindDecl) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([f.header or n for n, f in decl.fields.items()])
    return ("Dòng tiêu đề tiếng Việt / the Vietnamese header row:\n\n```csv\n" + out.getvalue() + "```\n")


def _readers(kind: str, plan: PlanDoc) -> str:
    """The rules of a plan reading a kind: `check` rules, then the pre-meeting checklist's."""
    check = [r.id for r in plan.rules if kind in r.kinds() and r.job != "ready"]
    ready = [r.id for r in plan.rules if kind in r.kinds() and r.job == "ready"]
    parts = []
    if check:
        parts.append(", ".join(check))
    if ready:
        parts.append(f"rà soát trước buổi họp / pre-meeting review (`chibo ready`): {', '.join(ready)}")
    return "; ".join(parts) if parts else "không quy tắc nào / no rule"


def _source(folder: str, decl: KindDecl, extension: bool = False) -> str:
    """Where a kind (or a plan's extension of it) is declared, relative to rules/: the plan's kinds folder, or
    the library extension it uses (library-school/kinds)."""
    sources = [s.strip() for s in decl.source.split(",") if s.strip()]
    if not sources:
        return f"`{folder}/kinds/{decl.kind}.yaml`"
    path = Path(sources[-1] if extension else sources[0])
    if path.parent.name == "kinds" and path.parent.parent.name.startswith("library-"):
        folder = path.parent.parent.name
    file = path.name if extension else f"{decl.kind}.yaml"
    return f"`{folder}/kinds/{file}`"


def _title(decl: KindDecl) -> str:
    """A kind's labels as a heading: "Sinh hoạt chi bộ / Cell meeting"."""
    return " / ".join(text[:1].upper() + text[1:] for text in (decl.label.vi, decl.label.en))


def _overview(rows: list[tuple[str, KindDecl, str]]) -> str:
    """The table of a chapter's kinds; a last column when some of them extend a library kind."""
    notes = any(note for _, _, note in rows)
    table = "| # | tệp / file | trang tính / sheet (.xlsx) | loại (vi) | kind (en) |"
    table += " mở rộng / extends |\n|---|---|---|---|---|---|\n" if notes else "\n|---|---|---|---|---|\n"
    for number, decl, note in rows:
        cells = [number, f"`{decl.kind}`", decl.sheet, decl.label.vi, decl.label.en, *([note] if notes else [])]
        table += "| " + " | ".join(_cell_text(c) for c in cells) + " |\n"
    return table


def _kind_head(number: str, kind: str, decl: KindDecl, source: str, kinds: dict[str, KindDecl]) -> str:
    """A kind's heading, file paragraph, help, field table and cross-field checks: the same for a library kind
    and a plan's own kind."""
    text = (f"### {number} `{kind}` — {_title(decl)}\n\n"
            f"{_file_paragraph(decl)} Khai báo / declared in: {_source(source, decl)}.\n\n"
            f"{_help_paragraph(decl)}\n\n{_field_table(decl, decl.fields, kinds)}\n")
    checks = _checks_paragraph(decl)
    return text + (checks + "\n" if checks else "")


def _library_section(library: Library, plans: Sequence[PlanDoc]) -> str:
    kinds = sorted(library.kinds)
    numbers = {kind: f"4.{i}" for i, kind in enumerate(kinds, start=1)}
    out = [template("casedoc/library-intro.md", LIB=library.name), _overview([(numbers[k], library.kinds[k], "")
                                                                    for k in kinds])]
    for kind in kinds:
        decl = library.kinds[kind]
        text = _kind_head(numbers[kind], kind, decl, library.name, library.kinds)
        text += "Quy tắc đọc / read by:\n\n"
        text += "".join(f"- `{p.id}`: {_readers(kind, p)}\n" for p in plans) or "- —\n"
        if has(f"casedoc.{kind}"):
            vi, en = pair(f"casedoc.{kind}")
            text += f"\n{vi} — *{en}*\n"
        text += "\n" + _header_block(decl)
        out.append(text)
    return "\n".join(p.rstrip("\n") + "\n" for p in out)


@dataclass(frozen=True)
class _Extension:
    fields: dict[str, FieldDecl]
    codes: dict[str, dict[str, Any]]
    required: list[str]
    sheet: str | None
    help: str | None


def _extension(base: KindDecl, merged: KindDecl) -> _Extension | None:
    """What a plan added to a library kind, or None when it left the kind as the library declares it."""
    fields = {n: f for n, f in merged.fields.items() if n not in base.fields}
    codes: dict[str, dict[str, Any]] = {}
    required = []
    for name, field in base.fields.items():
        now = merged.fields[name]
        # a new code, or a library code given the plan's own labels and spellings
        added = {c: v for c, v in (now.codes or {}).items() if (field.codes or {}).get(c) != v}
        if added:
            codes[name] = added
        if now.required and not field.required:
            required.append(name)
    sheet = merged.sheet if merged.sheet != base.sheet else None
    help_ = merged.help if merged.help != base.help else None
    if not (fields or codes or required or sheet or help_):
        return None
    return _Extension(fields, codes, required, sheet, help_)


def _plan_section(number: int, plan: PlanDoc, library: Library) -> str:
    schema = plan.schema
    own = [k for k in schema.kinds if k not in library.kinds]
    extended = {k: ext for k in sorted(library.kinds) if k in schema.kinds
                for ext in [_extension(library.kinds[k], schema.kinds[k])] if ext is not None}
    library_numbers = {kind: f"4.{i}" for i, kind in enumerate(sorted(library.kinds), start=1)}
    order = [*own, *extended]
    numbers = {kind: f"{number}.{i}" for i, kind in enumerate(order, start=1)}
    years = ", ".join(str(y) for y in plan.years)
    head = (f"## {number}. Kế hoạch `{plan.id}` — Plan `{plan.id}`\n\n"
            f"{plan.name_vi}. — *{plan.name_en}.*\n\n"
            f"Các năm của kế hoạch / the plan's years: {years}. Hồ sơ của kế hoạch này ghi `plan: {plan.id}` trong "
            f"`cell.yaml`; các loại dữ liệu của nó là các loại của thư viện (mục 4), cộng các loại riêng và phần mở "
            f"rộng dưới đây ({len(schema.kinds)} loại). — *A case of this plan has `plan: {plan.id}` in its "
            f"`cell.yaml`; its kinds are the library's (section 4) with the plan's own kinds and extensions below "
            f"({len(schema.kinds)} kinds).*\n")
    rows = [(numbers[k], schema.kinds[k], "") for k in own]
    rows += [(numbers[k], schema.kinds[k], f"mục / section {library_numbers[k]}") for k in extended]
    out = [head, _overview(rows) if rows else ""]
    for kind in own:
        decl = schema.kinds[kind]
        text = _kind_head(numbers[kind], kind, decl, plan.id, schema.kinds)
        text += f"Quy tắc đọc / read by: {_readers(kind, plan)}\n\n{_header_block(decl)}"
        out.append(text)
    for kind, ext in extended.items():
        decl = schema.kinds[kind]
        text = (f"### {numbers[kind]} `{kind}` — {_title(decl)} (mở rộng / extension)\n\n"
                f"Mở rộng loại `{kind}` của thư viện (mục {library_numbers[kind]}); khai báo / declared in: "
                f"{_source(plan.id, decl, extension=True)}. — *Extends the library's `{kind}` (section "
                f"{library_numbers[kind]}).*\n\n")
        if ext.sheet:
            text += f"Trang tính / sheet: `{ext.sheet}` (thay cho / instead of `{library.kinds[kind].sheet}`).\n\n"
        if ext.help:
            text += f"{' '.join(ext.help.split())}\n\n"
        if ext.required:
            names = ", ".join(f"`{n}`" for n in ext.required)
            text += f"Bắt buộc trong kế hoạch này / required in this plan: {names}.\n\n"
        if ext.fields:
            text += "Cột thêm / added columns:\n\n" + _field_table(decl, ext.fields, schema.kinds) + "\n"
        if ext.codes:
            text += ("Giá trị mã hóa thêm / added codes:\n\n| trường / field | tiêu đề tiếng Việt / Vietnamese header "
                     "| giá trị thêm / added values |\n|---|---|---|\n")
            for name, codes in ext.codes.items():
                field = decl.fields[name].model_copy(update={"codes": codes})
                text += f"| `{name}` | {_cell_text(field.header or '')} | {_cell_text(_codes(field))} |\n"
            text += "\n"
        text += f"Quy tắc đọc / read by: {_readers(kind, plan)}\n\n{_header_block(decl)}"
        out.append(text)
    out.append(_rule_index(number, len(order) + 1, plan))
    return "\n".join(p.rstrip("\n") + "\n" for p in out if p)


def _rule_index(number: int, sub: int, plan: PlanDoc) -> str:
    text = (f"### {number}.{sub} Quy tắc của kế hoạch `{plan.id}` — The plan's rules\n\n"
            "| mã / id | việc / job | yêu cầu / requirement | đọc / reads |\n|---|---|---|---|\n")
    for rule in plan.rules:
        kinds = ", ".join(f"`{k}`" for k in rule.kinds())
        title = _cell_text(f"{rule.title.vi} / {rule.title.en}")
        job = "rà soát / ready" if rule.job == "ready" else "kiểm tra / check"
        text += f"| {rule.id} | {job} | {title} | {kinds} |\n"
    return text

