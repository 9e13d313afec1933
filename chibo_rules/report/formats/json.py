"""json: the report's data for programs (schema docs/report.schema.json)."""

from __future__ import annotations

import json

from . import Format, Source, register


def _text(source: Source) -> str:
    return json.dumps(source.data(), ensure_ascii=False, indent=2) + "\n"


register(Format(name="json", order=1,
                words=("json (cho máy đọc, lược đồ docs/report.schema.json)",
                       "json (machine-readable, schema docs/report.schema.json)"),
                marker=(b'"schema": "chibo.',), text=_text))
