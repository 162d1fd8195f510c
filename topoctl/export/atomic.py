"""Write to a temporary file (or directory) beside the target, then rename it into place.

A failed or interrupted export removes its temporary and leaves any earlier file untouched; readers
never see a half-written file, because ``os.replace`` is atomic on one filesystem.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from topoctl.export.errors import ExportError

__all__ = ["atomic_text", "atomic_directory"]


def _parent(path: Path) -> Path:
    parent = path.parent
    if not parent.is_dir():
        raise ExportError(f"{path}: the directory {parent} does not exist")
    if path.is_dir() and not path.is_symlink():
        raise ExportError(f"{path}: is a directory; give a file name")
    return parent


@contextmanager
def atomic_text(path: Path | str) -> Iterator[TextIO]:
    """A text handle whose content replaces ``path`` only if the block finishes."""
    path = Path(path)
    parent = _parent(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise _write_error(path, exc) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from None
        raise


def _write_error(path: Path, exc: OSError) -> ExportError:
    return ExportError(f"{path}: cannot write: {exc.strerror or exc.__class__.__name__}")


@contextmanager
def atomic_directory(path: Path | str) -> Iterator[Path]:
    """A fresh directory that replaces the directory ``path`` only if the block finishes."""
    path = Path(path)
    parent = path.parent
    if not parent.is_dir():
        raise ExportError(f"{path}: the directory {parent} does not exist")
    if path.exists() and not path.is_dir():
        raise ExportError(f"{path}: exists and is not a directory; this format writes a directory")
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise _write_error(path, exc) from None
    try:
        yield tmp
        os.chmod(tmp, 0o755)
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=parent))
            os.replace(path, old / "previous")
            os.replace(tmp, path)
            shutil.rmtree(old)
        else:
            os.replace(tmp, path)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _write_error(path, exc) from None
        raise
