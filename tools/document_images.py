"""Regenerate the README's pictures of the Party documents (docs/images/*.png).

Writes the example cell's report (`chibo check cases/vbn1-2020 --format docx`) and the draft minutes of its
meeting of 05/05/2020 (`chibo ready … --minutes`), converts both to PDF with LibreOffice (headless) and renders
pages with pdftoppm (poppler-utils): the report's first and last page, the minutes' first page. Needs
`soffice`, `pdftoppm` and Liberation Serif 2 (fonts-liberation2), as .ci/run installs them.

    python3 tools/document_images.py        (from the repository root, with chibo installed in .venv-test)
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
CHIBO = [sys.executable, "-m", "chibo_rules"]
DPI = 90


def run(*args: object) -> None:
    subprocess.run([str(a) for a in args], check=True, capture_output=True, cwd=ROOT, timeout=300)


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def render(pdf: Path, page: int, name: str) -> None:
    run("pdftoppm", "-r", DPI, "-png", "-f", page, "-l", page, "-singlefile", pdf, IMAGES / name)
    print(f"wrote docs/images/{name}.png")


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        out = Path(work)
        report, minutes = out / "bao-cao.docx", out / "bien-ban.docx"
        subprocess.run([*CHIBO, "check", "cases/vbn1-2020", "--format", "docx", "-o", report], cwd=ROOT, timeout=300)
        run(*CHIBO, "ready", "cases/vbn1-2020", "--meeting", "05/05/2020", "--minutes", minutes)
        run("soffice", f"-env:UserInstallation={(out / 'profile').as_uri()}", "--headless", "--convert-to", "pdf",
            "--outdir", out, report, minutes)
        render(out / "bao-cao.pdf", 1, "bao-cao-trang-1")
        render(out / "bao-cao.pdf", pages(out / "bao-cao.pdf"), "bao-cao-trang-cuoi")
        render(out / "bien-ban.pdf", 1, "bien-ban-trang-1")


if __name__ == "__main__":
    main()
