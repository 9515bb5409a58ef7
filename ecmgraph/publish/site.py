"""Publishing a dataset as a static linked-data site: the SHACL gate, the build, and the swap into place.

The whole site or nothing: every file is written into a new folder beside the target (by the worker process that
made it), and that folder takes the target's place only once it is complete. A target that exists must be empty or a site that
ecmgraph published before (it holds the marker file :data:`MARKER`); anything else is refused, never
overwritten. The same data, date, base URL and metadata give the same bytes in every file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ecmgraph.errors import InputError
from ecmgraph.publish.build import run_beside, write_files
from ecmgraph.publish.metadata import DEFAULT_METADATA, SiteMetadata
from ecmgraph.publish.model import read_site
from ecmgraph.store import Dataset
from ecmgraph.threads import usable_cpus
from ecmgraph.validation import ValidationReport, refuse_breaches, validate

#: The file that marks a folder as a site ecmgraph published (and so one it may replace).
MARKER = ".ecmgraph-site"
MARKER_TEXT = b"A site published by ecmgraph ('ecmgraph publish'); ecmgraph may replace this folder.\n"


@dataclass(frozen=True)
class PublishedSite:
    """What was written: the folder, its files (site path -> size in bytes) and the validation report of the
    gate."""

    folder: Path
    files: dict[str, int]
    report: ValidationReport

    @property
    def pages(self) -> int:
        """The number of HTML pages."""
        return sum(1 for path in self.files if path.endswith(".html"))

    @property
    def size(self) -> int:
        """The bytes written, in all."""
        return sum(self.files.values())


def check_base_url(base_url: str) -> str:
    """``base_url`` as the site uses it: an absolute http(s) URL ending in ``/``. Raises InputError otherwise."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise InputError(
            f"--base-url {base_url}: not an absolute http or https URL without query or fragment",
            hint="give the address the site will be served from, e.g. --base-url https://example.org/ecm/",
        )
    return base_url if base_url.endswith("/") else base_url + "/"


def check_target(folder: Path) -> None:
    """Refuse a target that is a file, or a folder that holds anything but a site ecmgraph published."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise InputError(
            f"{str(folder)!r} is not a folder", file=str(folder), hint="give a new folder, or an earlier site's"
        )
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MARKER).is_file():
        raise InputError(
            f"{str(folder)!r} holds files that are not a site ecmgraph published, and would be replaced",
            file=str(folder),
            hint=f"give a new or empty folder, or one ecmgraph published before (it holds {MARKER})",
        )


def publish(
    dataset: Dataset,
    folder: str | Path,
    *,
    base_url: str,
    as_of: dt.date | None = None,
    allow_breaches: bool = False,
    metadata: SiteMetadata = DEFAULT_METADATA,
    jobs: int | None = None,
) -> PublishedSite:
    """Validate ``dataset`` as at ``as_of`` (default today) and publish it as a static site in ``folder``.

    ``jobs`` processes make the pages, documents and dumps (default: one a CPU this process may use; the files
    are the same for any number). Raises InputError for a bad base URL, a folder that is not a site's or a site
    that cannot be written (a full disk), BreachesFound (exit code 1, with the report) when the data has breaches
    and ``allow_breaches`` is false, EcmgraphError when a worker process is killed, KeyboardInterrupt on Ctrl-C
    or SIGTERM, and what validation raises; in every case nothing is published and an earlier site stays.
    """
    base = check_base_url(base_url)
    target = Path(folder)
    check_target(target)
    day = as_of or dt.date.today()
    workers = jobs if jobs is not None else usable_cpus()
    # Validation (in a copy of this process, which it may extend) while the site's data is read here.
    checked, site = run_beside(
        functools.partial(validate, dataset, as_of=day), functools.partial(read_site, dataset), workers
    )
    report = checked if checked is not None else validate(dataset, as_of=day)  # None: it raised there
    if not allow_breaches:
        refuse_breaches(report, refused="nothing published")
    try:
        with _stopped_by_sigterm(), _replacing(target) as building:
            files = write_files(
                building,
                dataset,
                report,
                base_url=base,
                metadata=metadata,
                allowed=allow_breaches,
                jobs=workers,
                site=site,
            )
            (building / MARKER).write_bytes(MARKER_TEXT)
    except OSError as exc:  # a full disk, a folder one may not write in: the site was not made, nor replaced
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        raise InputError(
            f"cannot write the site: {exc.strerror or exc}{where}; nothing was published",
            file=str(target),
            hint="check the folder's permissions and free space: the site is written beside it, then moved into place",
        ) from exc
    files[MARKER] = len(MARKER_TEXT)
    return PublishedSite(target, files, report)


@contextlib.contextmanager
def _replacing(target: Path) -> Iterator[Path]:
    """A new, empty folder beside ``target`` to write into, which takes ``target``'s place when the block ends
    (and is removed, leaving ``target`` as it was, when the block raises)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    try:
        yield building
        building.chmod(0o777 & ~_umask())
        aside = building.with_name(building.name.replace(".building-", ".old-"))
        if target.exists():
            os.replace(target, aside)
        os.replace(building, target)
        shutil.rmtree(aside, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


@contextlib.contextmanager
def _stopped_by_sigterm() -> Iterator[None]:
    """SIGTERM (``kill``, a service manager stopping the job) raised as KeyboardInterrupt in this process for the
    time of the block, so that the half-built site is removed as on Ctrl-C; a forked worker that gets it dies of
    it, as by default. Where signals cannot be caught (not the main thread), the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    builder = os.getpid()

    def stop(signum: int, frame: object) -> None:
        if os.getpid() != builder:  # a worker, forked with this handler
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt("stopped by SIGTERM")

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
