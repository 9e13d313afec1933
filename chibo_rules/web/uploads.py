"""Uploads are hostile until read (issue 23 item 3).

INTERFACE STUB: app.py reads every upload through `read_limited`, keeps it with `keep` (or `unpack_zip` for a
committee's zip) and uses only `Kept.path` afterwards: an uploaded name is never a path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 20 * 1024 * 1024  # one workbook, plan document or zip
    max_files: int = 300  # files in one hand-in (several files or a zip's members)
    max_unzipped_bytes: int = 200 * 1024 * 1024  # a zip's members together, once unpacked
    max_ratio: int = 100  # unpacked size over packed size, per member: above it a zip is a bomb


class UploadRefused(Exception):
    """An upload refused before it is read: `key` names the message in the words catalogue, `params` fill it."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


@dataclass(frozen=True)
class Kept:
    digest: str  # sha256 of the bytes, hex
    path: Path  # where the bytes are kept: <data folder>/uploads/<digest[:2]>/<digest><suffix>
    shown_name: str  # the uploaded name, cleaned, for display only
    suffix: str  # ".xlsx", ".docx", ".txt", ".pdf", ".zip"


async def read_limited(upload, limits: Limits) -> bytes:  # upload: starlette.datastructures.UploadFile
    """The upload's bytes, refused (UploadRefused) as soon as more than `limits.max_file_bytes` arrive."""
    data = await upload.read(limits.max_file_bytes + 1)
    if len(data) > limits.max_file_bytes:
        raise UploadRefused("too_big", limit=limits.max_file_bytes)
    return data


def keep(data: bytes, shown_name: str, folder: Path, allowed: set[str], limits: Limits) -> Kept:
    raise NotImplementedError


def unpack_zip(data: bytes, folder: Path, allowed: set[str], limits: Limits) -> list[Kept]:
    raise NotImplementedError
