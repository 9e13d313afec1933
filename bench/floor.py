"""The stack's floor for `chibo check CASE`: what chibo's libraries cost, with none of chibo, for a command
of the same shape. The benchmark times it beside the imports alone, so that the cold-start ratio can be read
against what no change inside chibo can remove.

It builds a typer command line with `chibo check`'s argument and options (their types, as typer coerces each
with a pydantic adapter since typer 0.2x), parses `check CASE`, starts durable-rules with one rule and
asserts one fact, and prints the report's rows (read from a JSON report chibo wrote earlier, given as
CHIBO_FLOOR_REPORT) as one rich table per plan section, as the terminal report does. It reads no plan and
no case: chibo's own work (plan, facts, rules, judging, the Document) is what this leaves out.
"""

from __future__ import annotations

import json
import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer


class Lang(str, Enum):
    vi = "vi"
    en = "en"


class Fmt(str, Enum):
    table = "table"
    json = "json"
    markdown = "markdown"
    html = "html"
    docx = "docx"


app = typer.Typer(add_completion=True)


@app.callback()
def main() -> None:
    """A group, as chibo's command line is."""


@app.command()
def check(cases: Annotated[list[Path], typer.Argument()],  # noqa: PLR0913 (the shape measured)
          as_of: str | None = None, lang: Lang = Lang.vi, format: Fmt = Fmt.table,  # noqa: A002
          output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
          only: list[str] | None = None, rules: Path | None = None, plans: list[Path] | None = None,
          strict: bool = False, jobs: int = 0, save: bool | None = None, store: str | None = None,
          keep_facts: bool = False, evaluator: str | None = None, quiet: bool = False,
          no_progress: bool = False, explain: bool = False) -> None:
    """Start the engine once and print the report's rows."""
    import durable.engine as engine

    seen: list[str] = []
    host = engine.Host()
    host.set_rulesets({"floor": {"r": {"all": [{"m": {"t": "x"}}], "run": lambda c: seen.append("x")}}})
    host.assert_fact("floor", {"t": "x", "id": "1", "sid": "s"})
    _print(json.loads(Path(os.environ["CHIBO_FLOOR_REPORT"]).read_text(encoding="utf-8")))


def _print(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(soft_wrap=False, highlight=False, width=120)  # as chibo's report away from a terminal
    sections: dict[str, list[dict]] = {}
    for rule in report["rules"]:
        sections.setdefault(rule["section"], []).append(rule)
    for section, rows in sections.items():
        console.print(f"\n{section}")
        table = Table(expand=True)
        for header, width in zip(["Mã", "Yêu cầu", "Trạng thái", "Chỉ tiêu", "Thực tế"], [7, 37, 12, 24, 24]):
            table.add_column(header, width=width, overflow="fold")  # the widths chibo's table gets at 120
        for rule in rows:
            table.add_row(rule["id"], rule["title"], rule["status"], rule["target"].get("text", ""),
                          rule["observed"].get("text", ""))
        console.print(table)


if __name__ == "__main__":
    app()
