"""The base of every kind's model (models.py builds one per kind declaration).

Its own module, written without `from __future__ import annotations`, so that its class variables' annotations
are objects: pydantic reads a model's annotations again for every subclass it builds, and as strings they were
evaluated again for each of a plan's ~40 kinds at every cold start.
"""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from .declarations import KindDecl


class Fact(BaseModel):
    """Base of all records. KIND is the file stem; KEY names the field that identifies a record.
    A check across fields starts its message with "[field] ": the cell a problem report points at."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    KIND: ClassVar[str] = ""
    KEY: ClassVar[str | None] = None
    LABEL: ClassVar[tuple[str, ...]] = ()
    REFERENCES: ClassVar[dict[str, str]] = {}
    DECL: ClassVar[KindDecl]
