"""Writing results: to stdout, or to a file written whole or not at all.

``-o FILE`` writes a regular file atomically: the text goes to a temporary file beside the target, which is
renamed over it once complete, so the target is always either as it was or the whole new text. On Linux the
temporary file has no name until it is complete (``O_TMPFILE``), so nothing is left behind whatever stops
ecmgraph, a kill included; elsewhere it is a hidden ``.NAME.XXXXXXXX.tmp`` removed on any error or interrupt.
A new file gets the mode the umask gives (0644 usually); a file replaced keeps its mode.

Only regular files are written: a symbolic link, a FIFO, a device, a socket or a folder at the path is refused,
because replacing it by a regular file (or writing through it) is rarely what was meant. With ``force``, a link
is followed (the file it points to is replaced, the link kept) and a FIFO or a device is written into, as a
shell's ``>`` would.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
import sys
from pathlib import Path

from ecmgraph.errors import InputError

#: Whether to try ``O_TMPFILE`` (an unnamed temporary file) first; where it is missing, a named one is used.
USE_UNNAMED_TEMPORARY = hasattr(os, "O_TMPFILE")


def write_output(text: str, path: str | None, *, force: bool = False) -> None:
    """Write ``text`` to ``path`` atomically, or to stdout if no path (or ``-``).

    Raises InputError if the text cannot be written (the target is then left as it was), or if something other
    than a regular file is at ``path`` and ``force`` is false.
    """
    if path is None or path == "-":
        write_stdout(text)
        return
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(
            f"cannot write it: the text holds a character UTF-8 cannot encode ({exc.reason})", file=path
        ) from exc
    target = Path(path)
    kind = _kind(target)
    if kind == "symbolic link":
        if not force:
            raise _refused(path, kind, "give --force to write to the file it points to, or choose another path")
        kind = _kind(target, follow=True)
        if kind == "symbolic link":
            raise _refused(path, "loop of symbolic links", "choose another output path")
        if kind in ("missing", "regular file"):  # replace the file the link names, and keep the link
            target = Path(os.path.realpath(target))
        # a FIFO or a device is written through the link itself (/dev/stdout's /proc links included)
    if kind in ("FIFO", "character device", "block device"):
        if not force:
            raise _refused(path, kind, "give --force to write into it, or choose another output path")
        _write_into(target, data, path)
        return
    if kind not in ("missing", "regular file"):
        raise _refused(path, kind, "choose another output path")
    _replace(target, data, path)


def write_stdout(text: str) -> None:
    """Write ``text`` to standard output; raise InputError (not a traceback) if it is full, closed or cannot
    encode the text. The text is encoded first, so a character the encoding lacks writes nothing."""
    stream = sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding, errors=getattr(stream, "errors", None) or "strict")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        raise InputError(
            f"cannot write to standard output: its encoding ({encoding}) has no {bad!r}",
            hint="set PYTHONIOENCODING=utf-8 (or a UTF-8 locale), or write to a file with -o FILE (always UTF-8)",
        ) from exc
    except LookupError:
        pass  # an encoding Python does not know: let the stream say so when writing
    try:
        stream.write(text)
        stream.flush()
    except (OSError, ValueError, UnicodeError) as exc:
        raise stdout_failed(exc) from exc


def stdout_failed(exc: BaseException) -> InputError:
    """The error to report when writing to standard output raised ``exc``; standard output is pointed at
    /dev/null first, so that nothing fails again at exit."""
    _silence_stdout()
    reason = "the reader closed the pipe" if isinstance(exc, BrokenPipeError) else _reason(exc)
    return InputError(
        f"cannot write to standard output: {reason}",
        hint="check the free space where standard output goes, or write to a file with -o FILE",
    )


def _silence_stdout() -> None:
    """Point the process's standard output at /dev/null, so that Python's own flush at exit does not fail again
    (with a traceback and exit code 120) on what could not be written (Python's docs, "Note on SIGPIPE")."""
    try:
        fileno = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):
        return  # not a real file (a test runner's capture): nothing is flushed at exit
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fileno)
    finally:
        os.close(devnull)


def _kind(path: Path, *, follow: bool = False) -> str:
    """What is at ``path`` (``missing``, ``regular file``, ``FIFO``…), the link itself unless ``follow``; a loop
    of links followed is a ``symbolic link``."""
    try:
        mode = os.stat(path).st_mode if follow else os.lstat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link"
        return "missing"  # an unreadable folder: writing there then says why
    for test, name in (
        (stat.S_ISREG, "regular file"),
        (stat.S_ISLNK, "symbolic link"),
        (stat.S_ISDIR, "folder"),
        (stat.S_ISFIFO, "FIFO"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    ):
        if test(mode):
            return name
    return "special file"


def _refused(path: str, kind: str, hint: str) -> InputError:
    return InputError(f"it is a {kind}, and -o writes regular files only", file=path, hint=hint)


def _reason(exc: BaseException) -> str:
    return (exc.strerror if isinstance(exc, OSError) else None) or str(exc) or type(exc).__name__


def _write_into(target: Path, data: bytes, path: str) -> None:
    """``--force`` on a FIFO or a device: write into it as it is (there is nothing to replace atomically)."""
    try:
        with open(target, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        raise InputError(f"cannot write it: {_reason(exc)}", file=path) from exc


def _replace(target: Path, data: bytes, path: str) -> None:
    """Write ``data`` to a temporary file in ``target``'s folder and rename it over ``target``."""
    directory = target.parent
    if not directory.is_dir():
        raise InputError(
            f"cannot write it: folder {str(directory)!r} does not exist",
            file=path,
            hint="create the folder first, or choose another output path",
        )
    try:
        keep_mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        keep_mode = None  # a new file: the mode the umask gives
    try:
        if not (USE_UNNAMED_TEMPORARY and os.path.isdir("/proc/self/fd") and _replace_unnamed(target, data, keep_mode)):
            _replace_named(target, data, keep_mode)
    except OSError as exc:
        raise InputError(
            f"cannot write it: {_reason(exc)}",
            file=path,
            hint="check the folder's permissions and free space",
        ) from exc


def _replace_unnamed(target: Path, data: bytes, mode: int | None) -> bool:
    """Replace ``target`` through an ``O_TMPFILE`` file, named only once complete; False if the system or the
    file system cannot make or name one (then nothing was written)."""
    directory = target.parent
    try:
        fd = os.open(directory, os.O_TMPFILE | os.O_WRONLY | os.O_CLOEXEC, 0o666)  # 0666 less the umask
    except OSError:
        return False
    named: Path | None = None
    try:
        _fill(fd, data, mode)
        folder = os.open(directory, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            candidate = directory / f".{target.name}.{secrets.token_hex(4)}.tmp"
            try:  # linkat(AT_SYMLINK_FOLLOW) on /proc/self/fd, as open(2) describes
                os.link(f"/proc/self/fd/{fd}", candidate.name, dst_dir_fd=folder, follow_symlinks=True)
            except OSError:
                return False
            named = candidate
        finally:
            os.close(folder)
        os.replace(named, target)
        named = None
        return True
    finally:  # on any exit, an interrupt (Ctrl-C) included: no temporary file is left behind
        os.close(fd)
        if named is not None:
            with contextlib.suppress(OSError):
                os.unlink(named)


def _replace_named(target: Path, data: bytes, mode: int | None) -> None:
    """Replace ``target`` through a hidden ``.NAME.XXXXXXXX.tmp`` beside it, removed on any error or interrupt."""
    fd, named = _create_named(target)
    try:
        _fill(fd, data, mode)
        os.close(fd)
        fd = -1
        os.replace(named, target)
    except BaseException:  # on any exit but success, an interrupt (Ctrl-C) included: the file is removed
        if fd >= 0:
            os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(named)
        raise


def _create_named(target: Path) -> tuple[int, Path]:
    """A new ``.NAME.XXXXXXXX.tmp`` beside ``target``, open for writing, with mode 0666 less the umask."""
    while True:
        named = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(named, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_CLOEXEC, 0o666), named
        except FileExistsError:
            continue


def _fill(fd: int, data: bytes, mode: int | None) -> None:
    """Write all of ``data`` to ``fd`` and sync it, giving the file ``mode`` if one is kept."""
    if mode is not None:
        os.fchmod(fd, mode)
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
    os.fsync(fd)
