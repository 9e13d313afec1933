"""Move a module's words dict into the catalogue: print its entries as chibo_rules/words/AREA.yaml lines.

For a branch that still keeps its words in Python (`MESSAGES: dict[str, tuple[str, str]] = {…}`, vi first), as
web/uploads.py and web/app.py did when the catalogue came: append the output to the area's file (or make a new
AREA.yaml with it), replace the dict by `MESSAGES = Area("AREA")` and its lookup by `say(f"AREA.{key}", …)`.
The texts are written exactly (JSON-style double-quoted strings, the shape words.read_area takes), so the
words stay byte-identical; tests/test_words.py then checks both languages and their placeholders.

    python3 tools/words_from_dict.py chibo_rules.web.uploads MESSAGES >> chibo_rules/words/uploads.yaml
"""

from __future__ import annotations

import importlib
import json
import re
import sys

PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}  # keys YAML 1.1 would not read as text


def entry_lines(key: str, vi: str, en: str) -> list[str]:
    """One entry of an area's file."""
    def quoted(text: str) -> str:
        return json.dumps(text, ensure_ascii=False)

    name = key if PLAIN_KEY.match(key) and key.lower() not in YAML_WORDS else quoted(key)
    return [f"{name}:", f"  vi: {quoted(vi)}", f"  en: {quoted(en)}"]


def main(module: str, name: str) -> None:
    words = getattr(importlib.import_module(module), name)
    for key, value in words.items():
        vi, en = (value["vi"], value["en"]) if isinstance(value, dict) else value
        print("\n".join(entry_lines(key, vi, en)))


if __name__ == "__main__":
    main(*sys.argv[1:3])
