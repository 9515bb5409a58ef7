"""Writing results: to stdout, or to a file written whole or not at all."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from ecmgraph.errors import InputError


def write_output(text: str, path: str | None) -> None:
    """Write ``text`` to ``path`` atomically (a temporary file renamed into place), or to stdout if no path.

    Raises InputError if the file cannot be written; the target is then left as it was.
    """
    if path is None or path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise InputError(
            f"cannot write {path!r}: folder {str(directory)!r} does not exist",
            file=path,
            hint="create the folder first, or choose another output path",
        )
    tmp_name = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=directory, prefix=f".{target.name}.", suffix=".tmp", delete=False, newline=""
        ) as tmp:
            tmp_name = tmp.name
            tmp.write(text)
        os.replace(tmp_name, target)
    except OSError as exc:
        if tmp_name and os.path.exists(tmp_name):
            os.unlink(tmp_name)
        raise InputError(
            f"cannot write {path!r}: {exc.strerror or exc}",
            file=path,
            hint="check the folder's permissions and free space",
        ) from exc
