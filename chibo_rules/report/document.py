"""A report as a neutral document: what every command prints, before it is turned into a format.

`views.py` builds a `Document` from a check, audit, readiness review or roll-up; `output.py` renders
any `Document` as a rich terminal report, Markdown or a self-contained HTML page. So the four
commands share one renderer per format, and a format cannot show something another one hides.
JSON is not produced from a Document: each command has its own versioned JSON (docs/*.schema.json).

Text here is final, user-facing and already translated; renderers only escape and lay it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Statuses a renderer knows how to colour. Finding statuses first, then audit, readiness and roll-up ones.
STATUS_KINDS = (
    "passed", "gap", "no_data", "not_due", "advisory",
    "behind_pace", "on_pace", "exempted",
    "ready", "not_ready", "info",
    "error", "fixed", "new",
)


@dataclass
class Span:
    """A piece of text; `status` colours it (one of STATUS_KINDS), `strong` makes it bold."""

    text: str
    status: str | None = None
    strong: bool = False


Cell = str | Span


@dataclass
class Paragraph:
    """Running text. `style`: plain, quote (a plan clause), note (small print) or strong."""

    parts: list[Cell]
    style: str = "plain"


@dataclass
class Bullets:
    """A list; each item may carry sub-items (e.g. a gap and the records it names)."""

    items: list[BulletItem]


@dataclass
class BulletItem:
    text: list[Cell]
    children: list[str] = field(default_factory=list)
    # a checklist item: True ready (☑), False not ready (☐), None plain bullet
    checked: bool | None = None


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]]
    title: str = ""
    # relative widths per column for the terminal (None: let the renderer decide)
    ratios: list[int] | None = None


@dataclass
class Section:
    title: str
    blocks: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    # an id for anchors in HTML (e.g. "R14", "B.I.4"); optional
    anchor: str = ""


Block = Paragraph | Bullets | Table


@dataclass
class Document:
    """The whole report: title, a few labelled facts (cell, plan, date), a one-line summary, sections."""

    lang: str
    title: str
    meta: list[tuple[str, str]] = field(default_factory=list)
    summary: list[Cell] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footer: str = ""
