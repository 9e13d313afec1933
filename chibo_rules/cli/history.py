"""`--save`/`--store`/`--keep-facts` for check, audit and ready, and `chibo history`: the committee's memory.

`Saver` is the one shared piece the judging commands call: it opens the store before any judging (a locked,
damaged or newer store is said at once, exit 2) and saves each judged cell in its own transaction.
`chibo history CELL | --committee NAME | --folder DIR | export FILE | import FILE` reads it back.
A store problem is a sentence in the user's language and exit 2, never a traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.markup import escape

from .. import writing
from ..clihelp import LANG, Lang, h
from ..quarters import parse_quarter, quarter_label
from ..report import formats
from ..store.messages import hs, m
from .options import StoreOpt

EXIT_OK, EXIT_INPUT = 0, 2

HISTORY_HELP = hs("history")


def _err() -> Console:
    return Console(stderr=True, highlight=False, soft_wrap=True)


def fail(exc: Exception, lang: str) -> None:
    """A store error (or a missing library) as one sentence, exit 2."""
    from ..store.db import StoreError

    if isinstance(exc, StoreError):
        text = m(exc.code, lang, detail=exc.detail, **exc.values)
    else:
        text = m("store_missing_library", lang, detail=str(exc))
    _err().print(escape(text))
    raise typer.Exit(EXIT_INPUT)


def open_or_fail(store: str | None, lang: str, create: bool = True) -> Any:
    try:
        from ..store.db import open_store

        return open_store(store, create=create)
    except Exception as exc:  # noqa: BLE001 - StoreError or ImportError, said in words; anything else re-raised
        from ..store.db import StoreError

        if isinstance(exc, (StoreError, ImportError)):
            fail(exc, lang)
        raise


@dataclass
class Saver:
    """Saves judged cells when asked (--save, or CHIBO_SAVE=1); does nothing otherwise."""

    lang: str
    store: Any = None
    keep_facts: bool = False
    new: int = 0
    dup: int = 0
    compared: list[str] = field(default_factory=list)

    saving: bool = False

    @classmethod
    def start(cls, save: bool | None, store: str | None, keep_facts: bool, lang: str) -> Saver:
        """--save (or CHIBO_SAVE=1 without --no-save) saves; --store alone opens the store to read (the
        audit's comparison with what was handed in last quarter)."""
        wanted = save if save is not None else os.environ.get("CHIBO_SAVE", "").strip().lower() in ("1", "yes", "true")
        if not wanted and store is None:
            return cls(lang)
        return cls(lang, open_or_fail(store, lang), keep_facts and wanted, saving=wanted)

    def with_stored(self, job: Any, result: Any, document: Any, data: Any) -> tuple[Any, Any]:
        """A job's Document and JSON builders, for a job that compares (an audit: `Job.compares_stored`) with the
        comparison against the cell's submission for the previous quarter when the store holds one (said in the
        report: compared with what was handed in)."""
        if self.store is None or not job.compares_stored or result.previous is None:
            return document, data
        from ..store.queries import compare_with_stored
        from ..store.save import run_record

        try:
            found = compare_with_stored(self.store, run_record(job.judged(result), job.name),
                                        quarter_label(result.previous.as_of))
        except Exception as exc:  # noqa: BLE001 - StoreError said in words, anything else re-raised
            from ..store.db import StoreError

            if isinstance(exc, StoreError):
                fail(exc, self.lang)
            raise
        if found is None:
            return document, data
        return (lambda: _with_comparison_doc(document(), found, self.lang),
                lambda: {**data(), "store_comparison": _comparison_json(found, self.lang)})

    def report(self, report: Any, job: str, extra: list[Any] | None = None) -> None:
        """One judged cell, saved whole or not at all."""
        if self.store is None or not self.saving:
            return
        from ..store.db import StoreError
        from ..store.save import run_record, save

        try:
            if save(self.store, run_record(report, job, self.keep_facts, extra)):
                self.new += 1
            else:
                self.dup += 1
        except StoreError as exc:
            fail(exc, self.lang)

    def rollup(self, rollup: Any, document: Any, data: Any) -> tuple[Any, Any]:
        """Save every judged cell of a roll-up (save.save_many: whole runs), and return the roll-up's Document
        and JSON builders, with each cell compared with its submission for the previous quarter in an audit."""
        found = self._rollup_comparisons(rollup)
        self._save_rollup(rollup)
        if not found:
            return document, data
        return (lambda: _with_rollup_comparisons(document(), found, self.lang),
                lambda: _rollup_json_with(data(), found, self.lang))

    def _rollup_comparisons(self, rollup: Any) -> dict[str, Any]:
        """cell folder -> Comparison, for an audit roll-up with a store (before this run is saved)."""
        from ..jobs import registry

        job = registry.get(rollup.command)
        if self.store is None or not job.compares_stored:
            return {}
        from ..store.db import StoreError
        from ..store.queries import compare_with_stored
        from ..store.save import run_record

        out = {}
        try:
            for cell in rollup.cells:
                result = getattr(cell, job.cell)
                if result is None or result.previous is None:
                    continue
                found = compare_with_stored(self.store, run_record(job.judged(result), job.name),
                                            quarter_label(result.previous.as_of))
                if found is not None:
                    out[str(cell.path)] = (cell, found)
        except StoreError as exc:
            fail(exc, self.lang)
        return out

    def _save_rollup(self, rollup: Any) -> None:
        if self.store is None or not self.saving:
            return
        from ..store.db import StoreError
        from ..store.save import run_record, save_many

        records = (run_record(cell.judged, rollup.command, self.keep_facts) for cell in rollup.cells
                   if cell.judged is not None)
        try:
            added, there = save_many(self.store, records)
        except StoreError as exc:
            fail(exc, self.lang)
        self.new += added
        self.dup += there

    def done(self) -> None:
        """Say what was saved (stderr: the report on stdout stays the report)."""
        if self.store is None:
            return
        if not self.saving:
            self.store.close()
            return
        dup = m("saved_dup", self.lang, n=self.dup) if self.dup else ""
        _err().print(escape(m("saved", self.lang, new=self.new, where=self.store.where, dup=dup)))
        self.store.close()


def _comparison_text(found: Any, lang: str) -> str:
    previous = found.previous
    return m("compared_store", lang, quarter=previous.quarter, received=previous.received_at.strftime("%Y-%m-%d"),
             hash=previous.facts_hash[:12], fixed=len(found.fixed), new=len(found.new))


def _gap_text(g: Any) -> str:
    from ..store.views import _gap_line

    return _gap_line(g)


def _with_comparison_doc(doc: Any, found: Any, lang: str) -> Any:
    """The audit's Document with the comparison as its first section."""
    from ..report.document import BulletItem, Bullets, Paragraph, Section

    blocks: list[Any] = [Paragraph([_comparison_text(found, lang)])]
    for key, items in (("gaps_fixed", found.fixed), ("gaps_new", found.new)):
        if items:
            blocks.append(Paragraph([m(key, lang)], style="strong"))
            blocks.append(Bullets([BulletItem([_gap_text(g)]) for g in items]))
    doc.sections.insert(0, Section(m("compared_title", lang), blocks))
    return doc


def _comparison_json(found: Any, lang: str) -> dict[str, Any]:
    def one(g: Any) -> dict[str, str]:
        return {"rule": g.rule, "reason": g.reason, "who": g.who, "period": g.period, "source": g.source}

    previous = found.previous
    return {"quarter": previous.quarter, "as_of": previous.as_of.isoformat(), "facts_hash": previous.facts_hash,
            "received_at": previous.received_at.isoformat(), "fixed": [one(g) for g in found.fixed],
            "new": [one(g) for g in found.new], "text": _comparison_text(found, lang)}


def _with_rollup_comparisons(doc: Any, found: dict[str, Any], lang: str) -> Any:
    """The roll-up's Document with one table first: each cell against its submission for last quarter."""
    from ..report.document import Section, Table

    rows = [[cell.judged.case.path.name if cell.judged else path, c.previous.quarter, c.previous.facts_hash[:12],
             str(len(c.fixed)), str(len(c.new))] for path, (cell, c) in found.items()]
    table = Table([m("col_cell", lang), m("col_quarter", lang), m("col_facts", lang), m("gaps_fixed", lang),
                   m("gaps_new", lang)], rows)
    doc.sections.insert(0, Section(m("compared_title", lang), [table]))
    return doc


def _rollup_json_with(data: dict[str, Any], found: dict[str, Any], lang: str) -> dict[str, Any]:
    for entry in data["cells"]:
        if entry["path"] in found:
            entry["store_comparison"] = _comparison_json(found[entry["path"]][1], lang)
    return data


if TYPE_CHECKING:  # a type checker sees a str Enum; its members come from the registry when run
    class HistoryFormat(str, Enum): ...
else:  # the formats history renders (report/formats/): the report formats and xlsx
    HistoryFormat = Enum("HistoryFormat", {f.name: f.name for f in formats.formats(formats.HISTORY)}, type=str)


def _quarter(text: str | None, lang: str) -> str | None:
    if text is None:
        return None
    try:
        year, q = parse_quarter(text)
    except ValueError:
        _err().print(escape(m("history_bad_quarter", lang, detail=text)))
        raise typer.Exit(EXIT_INPUT) from None
    return f"{year}-{q}"


def history(
    *,
    what: list[str] | None = typer.Argument(None, help=hs("history_what"), show_default=False),
    committee: str | None = typer.Option(None, "--committee", help=hs("committee")),
    folder: Path | None = typer.Option(None, "--folder", help=hs("folder")),
    since: str | None = typer.Option(None, "--since", help=hs("since")),
    until: str | None = typer.Option(None, "--until", help=hs("until")),
    job: list[str] | None = typer.Option(None, "--job", help=hs("job")),
    store: str | None = StoreOpt,
    fmt: HistoryFormat = typer.Option(HistoryFormat("table"), "--format",
                                      help=formats.help_words(formats.HISTORY, LANG)),
    output: Path | None = typer.Option(None, "--output", "-o", help=h("output")),
    force: bool = typer.Option(False, "--force", help=h("force_output")),
    lang: Lang = typer.Option(Lang.vi, "--lang", help=h("lang")),
) -> None:
    language = lang.value
    words = what or []
    if words[:1] in (["export"], ["import"]) and len(words) == 2:
        _transfer(words[0], Path(words[1]), store, language, force)
        return
    if len(words) == 1 and committee is None and folder is None and Path(words[0]).is_dir() \
            and not (Path(words[0]) / "cell.yaml").is_file():
        folder, words = Path(words[0]), []  # a folder of cells: the committee's view of them
    if (len(words) != 1) == (committee is None and folder is None) or len(words) > 1:
        _err().print(escape(m("history_what", language)))
        raise typer.Exit(EXIT_INPUT)
    if formats.get(fmt.value).file_only and output is None:
        _err().print(escape(m("history_docx_output", language, detail=fmt.value)))
        raise typer.Exit(EXIT_INPUT)
    first, last = _quarter(since, language), _quarter(until, language)
    jobs = tuple(job) if job else None  # the registry's history jobs (check, audit)
    opened = open_or_fail(store, language, create=False)
    from ..store import views
    from ..store.db import StoreError
    from ..store.queries import cell_history, committee_view

    try:
        if words:
            history = cell_history(opened, words[0], first, last, jobs)
            doc = lambda: views.cell_document(history, language, opened.where)  # noqa: E731
            data = lambda: views.cell_json(history, language, opened.where)  # noqa: E731
            charts = lambda: views.cell_charts(history, language)  # noqa: E731
        else:
            view = committee_view(opened, committee, folder, first, last, jobs)
            doc = lambda: views.committee_document(view, language, opened.where)  # noqa: E731
            data = lambda: views.committee_json(view, language, opened.where)  # noqa: E731
            charts = lambda: views.committee_charts(view, language)  # noqa: E731
    except StoreError as exc:
        fail(exc, language)
    finally:
        opened.close()
    _emit(fmt, output, doc, data, charts, language, force=force)


def _emit(fmt: HistoryFormat, output: Path | None, doc, data, charts, lang: str, *, force: bool) -> None:  # noqa: ANN001
    """The history in the chosen format (report/formats/): on the terminal, or written to --output."""
    chosen, source = formats.get(fmt.value), formats.Source(doc, data, charts)
    if output is None:
        console = Console(soft_wrap=False, highlight=False)
        if not console.is_terminal and "COLUMNS" not in os.environ:
            console = Console(soft_wrap=False, highlight=False, width=120)
        chosen.show(source, console)  # a file-only format (docx, xlsx) was refused before any work
        return
    _write(output, lambda stream: chosen.write(source, stream), chosen.write_kind, lang, force)


def _write(output: Path, produce, kind: str, lang: str, force: bool) -> None:  # noqa: ANN001
    from ..report.i18n import t

    try:
        writing.write(output, produce, kind, [], force)
    except writing.WriteRefused as refused:
        _err().print(t(f"write_{refused.code}", lang, detail=escape(refused.detail)))
        raise typer.Exit(EXIT_INPUT) from None


def _transfer(action: str, path: Path, store: str | None, lang: str, force: bool) -> None:
    from ..store.db import StoreError
    from ..store.transfer import export, import_records, read_records

    opened = open_or_fail(store, lang, create=action == "import")
    try:
        if action == "export":
            count = [0]

            def produce(stream) -> None:  # noqa: ANN001
                count[0] = export(opened, stream)

            _write(path, produce, "jsonl", lang, force)
            _err().print(escape(m("exported", lang, n=count[0], detail=str(path))))
        else:
            added, there = import_records(opened, read_records(path))
            dup = m("saved_dup", lang, n=there) if there else ""
            _err().print(escape(m("imported", lang, new=added, where=opened.where, dup=dup)))
    except StoreError as exc:
        fail(exc, lang)
    finally:
        opened.close()
