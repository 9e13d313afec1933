"""A report as a neutral document: what every command prints, before it is turned into a format.

`views.py` builds a `Document` from a check, audit, readiness review or roll-up; `output.py` renders
any `Document` as a rich terminal report, Markdown or a self-contained HTML page. So the four
commands share one renderer per format, and a format cannot show something another one hides.
JSON is not produced from a Document: each command has its own versioned JSON (docs/*.schema.json).

Text here is final, user-facing and already translated; renderers only escape and lay it out.
"""

from __future__ import annotations

from collections.abc import Callable
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
class PartyHeader:
    """The header of a Party document (Hướng dẫn 36-HD/VPTW): top left the higher committee and the issuer
    (capitals), a star and the number line; top right the Party's name and the place-and-date line; then the
    kind of document and its subject, centred. A piece the case does not declare is a blank (dots)."""

    higher: str  # "ĐẢNG BỘ XÃ VĨNH BÌNH NAM"
    issuer: str  # "CHI BỘ TRƯỜNG THCS VĨNH BÌNH NAM 1"
    number: str  # "Số ……-BC/CB": the number is the secretary's to fill in
    party: str  # "ĐẢNG CỘNG SẢN VIỆT NAM"
    place_date: str  # "Vĩnh Bình Nam, ngày 31 tháng 12 năm 2020"
    kind: str  # "BÁO CÁO", "BIÊN BẢN"
    subject: str  # "Kết quả rà soát thực hiện kế hoạch năm 2020"


@dataclass
class Signature:
    """One signing block: authority and position in capitals ("T/M CHI BỘ", "BÍ THƯ"), room to sign, a name."""

    lines: list[str]
    name: str
    note: str = ""  # e.g. "(Ký, ghi rõ họ tên)"


@dataclass
class Closing:
    """The end of a Party document: "Nơi nhận:" and its list bottom left (when there is one), the signatures
    bottom right (the last one rightmost)."""

    signatures: list[Signature]
    recipients_label: str = ""
    recipients: list[str] = field(default_factory=list)


@dataclass
class Document:
    """The whole report: title, a few labelled facts (cell, plan, date), a one-line summary, sections.
    `header` and `closing` (optional) lay it out as a Party document in the formats that print (HTML, docx)."""

    lang: str
    title: str
    meta: list[tuple[str, str]] = field(default_factory=list)
    summary: list[Cell] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    footer: str = ""
    header: PartyHeader | None = None
    closing: Closing | None = None
    # the same report as filed on paper (the Word format), built when asked: records named without the file
    # and line they were read from, those kept to an appendix of sources at the end
    filed: Callable[[], Document] | None = None
