"""What a page shows in a real headless Chromium: visible text, computed styles, fonts used, printed PDF.

Uses Debian's `chromium` and `chromium-driver` through selenium (.ci/run installs them when missing).
Without them the browser tests are skipped with the reason, unless CHIBO_REQUIRE_BROWSER=1 (set by .ci/run),
which turns the skip into a failure so CI never passes without looking at the page.
"""

from __future__ import annotations

import base64
import io
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CHIBO_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CHIBO_CHROMEDRIVER", "/usr/bin/chromedriver"))
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1000,1400",
        "--disable-extensions", "--no-first-run", "--lang=vi"]


def missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not path.exists():
            return f"{path} not found (apt-get install {package}; .ci/run does it)"
    try:
        import pypdf  # noqa: F401
        import selenium  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} not installed (pip install -e '.[test]')"
    return None


def skip_unless_ready(reason: str | None) -> None:
    """Skip a test whose tool is missing (`reason`), or fail it where CI says the tools must be there."""
    if reason is None:
        return
    if os.environ.get("CHIBO_REQUIRE_BROWSER") == "1":
        pytest.fail(f"CHIBO_REQUIRE_BROWSER=1 but {reason}")
    pytest.skip(reason)


def skip_if_missing() -> None:
    skip_unless_ready(missing())


class Browser:
    """One headless Chromium session; `open` a file, then ask what it shows."""

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        options.binary_location = str(CHROMIUM)
        for arg in ARGS:
            options.add_argument(arg)
        self.driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))

    def close(self) -> None:
        self.driver.quit()

    def open(self, path: Path, media: str = "screen") -> None:
        """Load a local file; `media` "print" makes @media print rules apply (as when printing)."""
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "" if media == "screen" else media})
        self.driver.get(path.resolve().as_uri())

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def text(self, selector: str = "body") -> str:
        """What a reader sees: innerText (rendered text; hidden elements and CSS-only content excluded)."""
        return self.js("return document.querySelector(arguments[0]).innerText", selector)

    def texts(self, selector: str) -> list[str]:
        return self.js("return Array.from(document.querySelectorAll(arguments[0]), e => e.innerText)", selector)

    def count(self, selector: str) -> int:
        return self.js("return document.querySelectorAll(arguments[0]).length", selector)

    def styles(self, selector: str, *props: str) -> list[dict[str, str]]:
        """Computed style (as the browser resolved it: "rgb(179, 38, 30)", "700") of every match."""
        return self.js(
            "return Array.from(document.querySelectorAll(arguments[0]), e => {"
            " const s = getComputedStyle(e); const o = {};"
            " for (const p of arguments[1]) o[p] = s.getPropertyValue(p); return o; })",
            selector, list(props))

    def visible(self, selector: str) -> list[bool]:
        """Whether each match takes up space on the page (not display:none, not zero-sized)."""
        return self.js("return Array.from(document.querySelectorAll(arguments[0]), e => {"
                       " const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })", selector)

    def fonts(self, selector: str) -> dict[str, int]:
        """The real fonts that drew the first match's text: family name → glyph count."""
        root = self.driver.execute_cdp_cmd("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = self.driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        self.driver.execute_cdp_cmd("CSS.enable", {})
        fonts = self.driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return {f["familyName"]: f["glyphCount"] for f in fonts}

    def pdf(self) -> bytes:
        """The page printed as Chromium prints it (the page's @page size, no background graphics)."""
        out = self.driver.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": False})
        return base64.b64decode(out["data"])


@contextmanager
def session() -> Iterator[Browser]:
    browser = Browser()
    try:
        yield browser
    finally:
        browser.close()


def pdf_pages(pdf: bytes) -> list[tuple[float, float, str]]:
    """Each printed page: width and height in points and its text."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return [(float(p.mediabox.width), float(p.mediabox.height), p.extract_text()) for p in reader.pages]


def pdf_fonts(pdf: bytes) -> set[str]:
    """Base names of the fonts embedded in the PDF ("NotoSans-Regular"), subset prefixes removed."""
    from pypdf import PdfReader

    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            names.add(re.sub(r"^[A-Z]{6}\+", "", str(ref.get_object().get("/BaseFont", "")).lstrip("/")))
    return names


def rgb(hex_colour: str) -> str:
    """"#b3261e" as getComputedStyle reports it: "rgb(179, 38, 30)"."""
    value = hex_colour.lstrip("#")
    r, g, b = (int(value[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgb({r}, {g}, {b})"
