"""What a reader of a .docx sees: the file converted to PDF by LibreOffice (headless), its pages read back.

Uses Debian's `libreoffice-writer-nogui` (`soffice`) and pypdf; `pdftoppm` (poppler-utils) renders pages to PNG.
.ci/run installs them when missing. Without LibreOffice the tests that need it are skipped with the reason,
unless CHIBO_REQUIRE_BROWSER=1 (set by .ci/run), which turns the skip into a failure: CI never passes without
converting the documents.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .browser import skip_unless_ready

SOFFICE = os.environ.get("CHIBO_SOFFICE", "soffice")


def missing() -> str | None:
    if shutil.which(SOFFICE) is None:
        return f"{SOFFICE} not found (apt-get install libreoffice-writer-nogui; .ci/run does it)"
    if shutil.which("pdftoppm") is None:
        return "pdftoppm not found (apt-get install poppler-utils; .ci/run does it)"
    try:
        import pypdf  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} not installed (pip install -e '.[test]')"
    return None


def skip_if_missing() -> None:
    skip_unless_ready(missing())


def to_pdf(files: list[Path], out: Path) -> dict[Path, Path]:
    """Every .docx converted in one LibreOffice run (its own profile, so runs never share one)."""
    profile = out / "lo-profile"
    run = subprocess.run([SOFFICE, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless",
                          "--convert-to", "pdf", "--outdir", str(out), *map(str, files)],
                         capture_output=True, text=True, timeout=300)
    pdfs = {f: out / (f.stem + ".pdf") for f in files}
    missing_pdfs = [str(p) for p in pdfs.values() if not p.exists()]
    assert not missing_pdfs, (missing_pdfs, run.stdout, run.stderr)
    return pdfs


@dataclass
class Piece:
    """A run of text as drawn: where (points from the page's bottom left) and in which font."""

    text: str
    x: float
    y: float
    font: str


@dataclass
class Page:
    width: float
    height: float
    text: str
    pieces: list[Piece]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def find(self, needle: str) -> list[Piece]:
        return [p for p in self.pieces if needle in p.text]


def pages(pdf: Path) -> list[Page]:
    from pypdf import PdfReader

    out = []
    for page in PdfReader(io.BytesIO(pdf.read_bytes())).pages:
        pieces: list[Piece] = []

        def visit(text, cm, tm, font, size, pieces=pieces):
            if text.strip():
                # the text matrix's translation in user space (the current matrix applied)
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                name = str((font or {}).get("/BaseFont", "")).lstrip("/")
                pieces.append(Piece(text, x, y, re.sub(r"^[A-Z]{6}\+", "", name)))

        text = page.extract_text(visitor_text=visit)
        out.append(Page(float(page.mediabox.width), float(page.mediabox.height), text, pieces))
    return out


def render_png(pdf: Path, page: int, out: Path, dpi: int = 80) -> Path:
    """One page as a PNG (pdftoppm), e.g. for the README; returns its path."""
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(out.with_suffix(""))], check=True, capture_output=True, timeout=120)
    return out.with_suffix(".png")
