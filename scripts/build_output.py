"""What the build scripts share: write a generated file whole or not at all, or check it is in step with its source.

``scripts/build_reference.py``, ``scripts/build_sources.py`` and ``scripts/build_shapes.py`` each compute the text
of the file they generate, then hand it to :func:`write_or_check`.
"""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(output: Path, text: str, *, check: bool, source: object, command: str) -> int:
    """Write ``text`` to ``output``, or with ``check`` only compare them; return the script's exit code.

    With ``check``: 0 when ``output`` already holds exactly ``text``, else 1 with a message on stderr naming the
    ``source`` it is out of date with and the ``command`` that regenerates it. Without: 0, after writing ``output``
    if its text differs (a temporary file beside it, then an atomic rename, so that it is never half written).
    """
    current = output.read_text(encoding="utf-8") if output.is_file() else None
    if check:
        if current == text:
            return 0
        print(f"Error: {output} is out of date with {source}; run: {command}", file=sys.stderr)
        return 1
    if current != text:
        partial = output.with_name(output.name + ".partial")
        partial.write_text(text, encoding="utf-8")
        partial.replace(output)
    return 0
