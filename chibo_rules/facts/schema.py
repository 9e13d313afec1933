"""A plan's schema: every kind of fact it knows (library + its own), as declarations and as models.

Everything the loader, the workbook, the rule checker and the reports need to know about a kind
comes from here: its model, the field that dates a record, its unique fields, later events, its
Vietnamese sheet name and headers (matched loosely, as secretaries type them), labels and help.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .declarations import FieldDecl, KindDecl, merge
from .models import Fact, build_model
from .values import header_key

INSTRUCTIONS_SHEET = "Hướng dẫn"
CELL = "cell"


class LazyModels(Mapping[str, "type[Fact]"]):
    """The model of each kind, built the first time it is asked for: building a pydantic model is most of
    loading a plan, and one cell's check reads only the kinds it has files for."""

    def __init__(self, kinds: dict[str, KindDecl]):
        self._kinds = kinds
        self._built: dict[str, type[Fact]] = {}

    def __getitem__(self, kind: str) -> type[Fact]:
        model = self._built.get(kind)
        if model is None:
            model = self._built[kind] = build_model(self._kinds[kind])
        return model

    def __iter__(self) -> Iterator[str]:
        return iter(self._kinds)

    def __len__(self) -> int:
        return len(self._kinds)

    def __contains__(self, kind: object) -> bool:
        return kind in self._kinds


@dataclass
class Schema:
    kinds: dict[str, KindDecl]
    cell: KindDecl
    models: Mapping[str, type[Fact]] = field(default_factory=dict)
    cell_model: type[Fact] = field(init=False)  # built from `cell` on creation
    # the kinds a workbook template holds, in the order a secretary fills them in (`in_order`); empty: every
    # kind, as declared
    sheet_order: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        self.models = LazyModels(self.kinds)
        self.cell_model = build_model(self.cell)
        self._fields = {
            kind: self._header_table(decl) for kind, decl in [*self.kinds.items(), (CELL, self.cell)]
        }
        self._sheets = {header_key(d.sheet): k for k, d in self.kinds.items()}
        self._sheets.update({header_key(k): k for k in self.kinds})
        self._sheets[header_key(self.cell.sheet)] = CELL
        self._sheets[header_key(CELL)] = CELL

    @staticmethod
    def _header_table(decl: KindDecl) -> dict[str, str]:
        table = {header_key(f.header): name for name, f in decl.fields.items() if f.header}
        table.update({header_key(name): name for name in decl.fields})  # an English field name always wins
        return table

    def decl(self, kind: str) -> KindDecl:
        return self.cell if kind == CELL else self.kinds[kind]

    def field(self, kind: str, name: str) -> FieldDecl | None:
        decl = self.cell if kind == CELL else self.kinds.get(kind)
        return decl.fields.get(name) if decl else None

    def header_to_field(self, kind: str, header: str) -> str | None:
        """The field a column header of `kind` ("cell" for the cell sheet) names, or None."""
        return self._fields.get(kind, {}).get(header_key(header))

    def sheet_to_kind(self, name: str) -> str | None:
        """The kind a sheet holds ("cell" for the cell sheet), or None (also for the instruction sheet)."""
        return self._sheets.get(header_key(name))

    def sheet(self, kind: str) -> str:
        return self.decl(kind).sheet

    def dated_by(self, kind: str) -> str | None:
        decl = self.kinds.get(kind)
        return decl.dated_by if decl else None

    def events(self, kind: str) -> tuple[str, ...]:
        decl = self.kinds.get(kind)
        return tuple(decl.events) if decl else ()

    def unique(self, kind: str) -> tuple[str, ...]:
        decl = self.kinds.get(kind)
        return tuple(decl.unique) if decl else ()

    def header(self, kind: str, name: str) -> str:
        f = self.field(kind, name)
        return (f.header if f and f.header else name)

    def kind_label(self, kind: str, lang: str) -> str:
        decl = self.kinds.get(kind)
        return getattr(decl.label, lang) if decl else kind

    def field_label(self, kind: str | None, name: str, lang: str) -> str:
        """How a report names a field: its declared label, else its Vietnamese header / English name."""
        f = self.field(kind, name) if kind else None
        if f is not None and f.label is not None:
            return getattr(f.label, lang)
        if f is not None and f.header and lang == "vi":
            return f.header[0].lower() + f.header[1:]
        return name.replace("_", " ")

    def owner_fields(self) -> dict[str, str]:
        """For each kind whose records belong to one person, the field holding that person's key: the
        declared `who` of a kind, and the key of a kind a `who` refers to (the roster itself). Records of
        different owners never meet in a rule that joins them on these fields, which is what lets a large
        cell be judged a few hundred people at a time (evaluate/sessions.py)."""
        out = {kind: decl.who for kind, decl in self.kinds.items() if decl.who}
        for kind, who in list(out.items()):
            roster = self.kinds.get(self.kinds[kind].fields[who].to or "")
            if roster is not None and roster.key:
                out[roster.kind] = roster.key
        return out

    def rosters(self) -> list[str]:
        """The kinds records belong to — what declared `who` fields refer to (the roster of people)."""
        out: list[str] = []
        for decl in self.kinds.values():
            to = decl.fields[decl.who].to if decl.who else None
            if to in self.kinds and to not in out:
                out.append(to)
        return out

    def in_order(self, kinds: Iterable[str]) -> Schema:
        """This schema with its template's sheets (`sheet_order`): the rosters, then `kinds` in the order given,
        each after the kinds its fields refer to (a resolution before its briefings), each once; a kind not
        declared is left out (the rule checker reports it). A copy sharing the models, not a rebuild."""
        order = self.rosters()

        def add(kind: str, trail: tuple[str, ...] = ()) -> None:
            if kind in order or kind not in self.kinds or kind in trail:
                return
            for decl in self.kinds[kind].fields.values():
                if decl.to:
                    add(decl.to, (*trail, kind))
            order.append(kind)

        for kind in kinds:
            add(kind)
        twin = copy.copy(self)
        twin.sheet_order = tuple(order)
        return twin

    def blank_dates(self, kind: str) -> dict[str, str]:
        """Date fields that stand for "since always" / "until now" when left blank."""
        decl = self.kinds.get(kind)
        return {n: f.blank for n, f in decl.fields.items() if f.blank} if decl else {}


@functools.lru_cache(maxsize=32)
def _load(library: Path, plan_kinds: Path | None, layers: tuple[Path, ...], signature: tuple) -> Schema:
    kinds, cell, _ = merge(library, plan_kinds, layers)
    return Schema(kinds, cell)


def _signature(*folders: Path | None) -> tuple:
    """Name, size and modification time of every declaration file: an edited file is read again."""
    out = []
    for folder in folders:
        if folder is not None and folder.is_dir():
            for path in sorted(folder.rglob("*.y*ml")):
                try:
                    stat = path.stat()
                except OSError:  # a link loop: reading the declarations reports it
                    out.append((str(path), -1, -1))
                    continue
                out.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(out)


def load_schema(library: Path, plan_kinds: Path | None, layers: tuple[Path, ...] = ()) -> Schema:
    """The merged schema of a plan (cached per folders and file signature: a roll-up of many cells of
    one plan builds its models once). `layers`: the kinds folders of the library extensions the plan uses.
    InputError lists every problem of every declaration."""
    lib = library.resolve()
    own = plan_kinds.resolve() if plan_kinds is not None else None
    used = tuple(p.resolve() for p in layers)
    return _load(lib, own, used, _signature(lib, *used, own))
