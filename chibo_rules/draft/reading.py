"""A plan document (.docx, .txt or a PDF with a text layer) as paragraphs, each under its section.

A cell's plan is structured the same way whatever it was typed in: parts A-, B-, chapters I-, II-, points 1-,
2- (or 1.2.1), items a). Those headings become section paths like "B.I.4" (the same section names hand-written
rule files cite); a heading closes every deeper one before it, so "2." after "1." is its sibling. Bullets
("-", "*", "+") are list items, not sections. A .docx heading may also be a Word heading style (Heading 1/2/3)
without a typed label: it is numbered A/I/1 by its level. Parts the lexicon calls background (ĐẶC ĐIỂM TÌNH
HÌNH) or a look back (ĐÁNH GIÁ KẾT QUẢ) are marked skipped, and reading stops at the closing ("Trên đây",
"Nơi nhận"): figures there are not the plan's targets.

Many published texts (a newspaper's report of a congress, a resolution pasted into a web page) have no
heading at all. Then the whole text is read, section "-", from the first line with a word that opens the
targets ("mục tiêu", "chỉ tiêu", "phương hướng", "quyết nghị", "phấn đấu") — and the draft says so. A
paragraph that looks back at an earlier term ("Nhiệm kỳ 2017 - 2020, …", "Trong nhiệm kỳ qua, …") is skipped
wherever it stands. Anything unreadable is an InputError naming the file — never a traceback.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem

LETTER = re.compile(r"^\s*([A-HJ-UWYZ])\s*[-.)]\s*(?=\S)")
ROMAN = re.compile(r"^\s*(X{0,1}(?:IX|IV|V?I{1,3}|V|X))\s*[-.)]+\s*(?=\S)")
ARABIC = re.compile(r"^\s*(\d{1,2})\s*[-.)]+\s*(?=[^\d\s%/])")
DOTTED = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(?=[^\d\s%/])")
ALPHA = re.compile(r"^\s*([a-zđ])\s*\)\s*(?=\S)")
PART = re.compile(r"^\s*phần\s+(?:thứ\s+)?(nhất|hai|ba|bốn|năm|I{1,3}|IV|V|\d)\b\s*[-.:)]*\s*", re.IGNORECASE)
PART_NUMBERS = {"nhất": "1", "hai": "2", "ba": "3", "bốn": "4", "năm": "5"}
NO_HEADING = "-"
ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
SENTENCE_END = (".", ":", ";", "!", "?", "”", '"', ")")
MAX_BYTES = 20_000_000


@dataclass
class Paragraph:
    """One paragraph (a line of a .txt, a paragraph of a .docx, a joined run of PDF lines)."""

    text: str
    line: int
    section: str
    skipped: bool = False
    heading: bool = False
    narrative: bool = False  # a text without headings: a sentence reporting what was done is no target


@dataclass
class PlanText:
    """What the drafter works on: the paragraphs, the title and the years the document names."""

    path: Path
    paragraphs: list[Paragraph]
    title: str = ""
    years: list[int] = field(default_factory=list)
    whole_text: bool = False  # no heading was found: the whole text was read (from start_line on)
    start_line: int | None = None


def problem(path: Path, code: str, detail: str = "", line: int | None = None) -> InputError:
    """An InputError with one problem about the plan file (worded by chibo_rules.draft.messages)."""
    return InputError([Problem(str(path), line, None, f"draft_{code}", detail)])


def read_plan(path: Path, lexicon: dict[str, Any]) -> PlanText:
    """The paragraphs of a plan file with their sections; InputError for a file chibo cannot read."""
    path = Path(path)
    if not path.exists():
        raise problem(path, "missing")
    if path.is_dir():
        raise problem(path, "folder")
    suffix = path.suffix.lower()
    if suffix not in (".txt", ".docx", ".pdf"):
        raise problem(path, "old_word" if suffix in (".doc", ".rtf", ".odt") else "format", suffix or "?")
    if path.stat().st_size == 0:
        raise problem(path, "empty")
    if path.stat().st_size > MAX_BYTES:
        raise problem(path, "too_big", str(MAX_BYTES // 1_000_000))
    reader = {".txt": _txt_lines, ".docx": _docx_lines, ".pdf": _pdf_lines}[suffix]
    lines = reader(path)
    if not any(text.strip() for text, _, _ in lines):
        raise problem(path, "empty")
    years = years_of([text for text, _, _ in lines])
    paragraphs = sectioned(lines, lexicon, years)
    text = PlanText(path, paragraphs, title_of(lines, lexicon), years)
    if not any(p.heading for p in paragraphs):
        text.whole_text = True
        text.start_line = next((p.line for p in paragraphs if not p.skipped), None)
    return text


def _txt_lines(path: Path) -> list[tuple[str, int, int]]:
    """(text, line number, heading level 0) of each line of a UTF-8 text file."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise problem(path, "encoding", "", line) from None
    if "\x00" in text:
        raise problem(path, "binary")
    return [(unicodedata.normalize("NFC", t), i, 0) for i, t in enumerate(text.splitlines(), start=1)]


def _docx_lines(path: Path) -> list[tuple[str, int, int]]:
    """(text, paragraph number, heading level from a Word heading style) of each paragraph of a .docx."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError, Exception):  # noqa: BLE001 - any broken zip
        raise problem(path, "broken_docx") from None
    out = []
    for i, para in enumerate(document.paragraphs, start=1):
        style = (para.style.name if para.style is not None else "") or ""
        match = re.match(r"(?:Heading|Tiêu đề)\s*(\d)", style)
        out.append((unicodedata.normalize("NFC", para.text), i, int(match.group(1)) if match else 0))
    return out


def _pdf_lines(path: Path) -> list[tuple[str, int, int]]:
    """The text layer of a PDF, its visual lines joined back into paragraphs (a line not ending a sentence
    continues on the next, unless the next is a heading)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        raw = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, Exception):  # noqa: BLE001 - broken PDFs
        raise problem(path, "broken_pdf") from None
    raw = unicodedata.normalize("NFC", raw)
    letters = sum(ch.isalpha() for ch in raw)
    visible = sum(not ch.isspace() for ch in raw)
    if letters < 20:
        raise problem(path, "no_text")
    if letters / max(visible, 1) < 0.6 or not re.search(r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợ"
                                                         r"ùúủũụưứừửữựỳýỷỹỵ]", raw.lower()):
        raise problem(path, "garbled")
    out: list[tuple[str, int, int]] = []
    for number, text in enumerate(raw.splitlines(), start=1):
        if out and out[-1][0].strip() and text.strip() and not _starts_heading(text) \
                and not out[-1][0].rstrip().endswith(SENTENCE_END) and not text.lstrip().startswith(("-", "*", "+")):
            out[-1] = (out[-1][0].rstrip() + " " + text.strip(), out[-1][1], 0)
        else:
            out.append((text, number, 0))
    return out


def _starts_heading(text: str) -> bool:
    return heading_of(text, 0) is not None


def heading_of(text: str, style_level: int) -> tuple[int, str] | None:
    """(level 1–4, label) when a line is a heading: typed "Phần thứ nhất", "B-", "II-", "4-." / "1.2.1", "a)"
    or a Word heading style (levels 1–3)."""
    if m := PART.match(text):  # "Phần thứ nhất", "PHẦN II": a part, numbered 1, 2 …
        return 1, PART_NUMBERS.get(m.group(1).lower(), m.group(1).upper())
    if (m := ROMAN.match(text)) and m.group(1):
        return 2, m.group(1)
    if m := LETTER.match(text):
        return 1, m.group(1)
    if m := DOTTED.match(text):
        return 3, m.group(1)
    if m := ARABIC.match(text):
        return 3, m.group(1)
    if m := ALPHA.match(text):
        return 4, m.group(1)
    if 1 <= style_level <= 3:
        return style_level, ""
    return None


def sectioned(lines: list[tuple[str, int, int]], lexicon: dict[str, Any],
              years: list[int] | None = None) -> list[Paragraph]:
    """Paragraphs with their section path; background parts, look-back paragraphs and everything after the
    closing are skipped. Without any heading, the text is read from its first line opening the targets."""
    kept = []
    for text, number, style_level in lines:
        if any(text.strip().startswith(marker) for marker in lexicon["end_markers"]):
            break
        if text.strip():
            kept.append((text, number, style_level))
    if not any(heading_of(text, level) for text, _, level in kept):
        return _whole_text(kept, lexicon, years or [])
    stack: list[tuple[int, str, bool]] = []  # (level, label, skipped part)
    counters = [0, 0, 0, 0]
    skipping = True  # the preamble (Căn cứ …) until the first heading
    out: list[Paragraph] = []
    for i, (text, number, style_level) in enumerate(kept):
        found = heading_of(text, style_level)
        if found is not None:
            level, label = found
            counters[level - 1] += 1
            counters[level:] = [0] * (4 - level)
            label = label or _auto_label(level, counters[level - 1])
            stack = [entry for entry in stack if entry[0] < level]
            # "Phần thứ nhất" alone on its line: its title is the next line
            title = text + (" " + kept[i + 1][0] if PART.match(text) and len(text.split()) <= 3
                            and i + 1 < len(kept) else "")
            stack.append((level, label, skipped_part(title, lexicon, years or [])))
            skipping = any(entry[2] for entry in stack)
            out.append(Paragraph(text.strip(), number, ".".join(entry[1] for entry in stack), skipping, True))
            continue
        section = ".".join(entry[1] for entry in stack)
        out.append(Paragraph(text.strip(), number, section, skipping or looks_back(text, lexicon, years or [])))
    return out


def skipped_part(title: str, lexicon: dict[str, Any], years: list[int]) -> bool:
    """A part of background or look-back: its heading says so (ĐÁNH GIÁ KẾT QUẢ …) or names an earlier term
    ("KẾT QUẢ THỰC HIỆN NGHỊ QUYẾT NHIỆM KỲ 2017 – 2020")."""
    if any(word.lower() in title.lower() for word in lexicon["skip_parts"]):
        return True
    for m in re.finditer(r"nhiệm\s+k[ỳý]\s*(\d{4})\s*[-–]\s*(\d{4})", title, re.IGNORECASE):
        first, last = int(m.group(1)), int(m.group(2))
        if years and last <= min(years) and (first, last) != (min(years), max(years)):
            return True
    return False


def _whole_text(lines: list[tuple[str, int, int]], lexicon: dict[str, Any], years: list[int]) -> list[Paragraph]:
    """A text with no heading: every paragraph in section "-", skipped before the first line holding a word
    that opens the targets (if any line does; else none is) and where it looks back at an earlier term."""
    opener = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in lexicon["start_words"]), re.IGNORECASE)
    first = next((i for i, (text, _, _) in enumerate(lines) if i and opener.search(text)
                  and not looks_back(text, lexicon, years)), 0)
    return [Paragraph(text.strip(), number, NO_HEADING, i < first or looks_back(text, lexicon, years), False, True)
            for i, (text, number, _) in enumerate(lines)]


def looks_back(text: str, lexicon: dict[str, Any], years: list[int]) -> bool:
    """A paragraph opening on an earlier term ("Nhiệm kỳ 2017 - 2020, chi bộ đã …", one ending by the plan's
    first year) or on a look-back phrase ("Trong nhiệm kỳ qua", "Năm qua"): its figures are results, not
    targets."""
    head = text.strip()[:80].lower()
    if any(head.startswith(phrase.lower()) for phrase in lexicon["look_back_openings"]):
        return True
    m = re.match(r"\W*(?:trong\s+)?nhiệm\s+k[ỳý]\s*(\d{4})\s*[-–]\s*(\d{4})", head)
    if m and years:
        first, last = int(m.group(1)), int(m.group(2))
        return last <= min(years) and (first, last) != (min(years), max(years))
    return False


def _auto_label(level: int, count: int) -> str:
    """A Word heading without a typed label, numbered by its level: A, B… / I, II… / 1, 2…"""
    if level == 1:
        return chr(ord("A") + count - 1)
    if level == 2:
        return ROMANS[min(count, len(ROMANS)) - 1]
    if level == 4:
        return chr(ord("a") + min(count, 26) - 1)
    return str(count)


def title_of(lines: list[tuple[str, int, int]], lexicon: dict[str, Any]) -> str:
    """The document's title: the first of its first lines naming a plan or resolution, else the first line."""
    first = [" ".join(text.split()) for text, _, _ in lines[:25] if text.strip()]
    for text in first:
        if any(word.lower() in text.lower() for word in lexicon["title_words"]) and len(text) <= 160 \
                and not text.lower().startswith("căn cứ"):
            return text
    return first[0][:160] if first else ""


def years_of(lines: list[str]) -> list[int]:
    """The years the plan covers, from its head (first lines): "Năm 2020" or "nhiệm kỳ 2020 - 2022", whichever
    comes first (a date "ngày 10 tháng 01 năm 2020" does not count); else the year the text names most."""
    term = re.compile(r"nhiệm k[ỳý]\s*(\d{4})\s*[-–]\s*(\d{4})", re.IGNORECASE)
    single = re.compile(r"(?<!tháng )(?<!tháng \d )(?<!tháng \d\d )năm\s+((?:19|20)\d{2})(?!\d)", re.IGNORECASE)
    for line in [t for t in lines if t.strip()][:12]:
        found = [(m.start(), m) for m in (term.search(line), single.search(line)) if m is not None]
        if found:
            match = min(found, key=lambda pair: pair[0])[1]
            first, last = int(match.group(1)), int(match.group(match.lastindex or 1))
            if 1900 <= first <= last <= 2100:
                return list(range(first, last + 1))
    years = Counter(int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", "\n".join(lines)))
    return [years.most_common(1)[0][0]] if years else []
