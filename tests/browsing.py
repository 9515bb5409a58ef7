"""What the browser tests share (tests/test_publish_browser.py, tests/test_serve_browser.py): Playwright driving
Debian's chromium, skipped where either is absent, and a watch on a page that refuses and records every request
leaving the site and records every console error and uncaught script error (a CSP violation is a console error).

A test module takes ``MARKS`` as its ``pytestmark`` and imports ``browser_type_launch_args``, the fixture through
which pytest-playwright launches Debian's chromium rather than a browser it downloaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="Playwright is not installed (pip install playwright)"
)
MARKS = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"),
]


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, object]:
    """pytest-playwright launches Debian's chromium, not a downloaded browser."""
    return {"executable_path": str(CHROMIUM), "args": ["--no-sandbox"]}


@dataclass
class Watch:
    """A page's requests outside ``root`` (refused), and its console and script errors, as they happen."""

    root: str
    left: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def guard(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(self.root):
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.left.append(url)
            route.abort()  # type: ignore[attr-defined]

    def assert_clean(self) -> None:
        assert self.left == [], "requests left the site"
        assert self.errors == [], "the browser reported errors (a CSP violation, a script error)"


def wait_until(page: object, ready: Callable[[], bool], seconds: float = 10) -> None:
    """Let ``page`` run (its requests and errors reach the watch while it waits) until ``ready()``, at most
    ``seconds``: on a busy machine an event may take longer than any fixed pause."""
    for _ in range(int(seconds / 0.05)):
        if ready():
            return
        page.wait_for_timeout(50)  # type: ignore[attr-defined]


def watch(page: object, root: str) -> Watch:
    """Start watching ``page``: every request not under ``root`` is refused and recorded, and every console error
    and uncaught exception recorded."""
    seen = Watch(root)
    page.route("**/*", seen.guard)  # type: ignore[attr-defined]
    page.on("console", lambda message: seen.errors.append(message.text) if message.type == "error" else None)  # type: ignore[attr-defined]
    page.on("pageerror", lambda error: seen.errors.append(str(error)))  # type: ignore[attr-defined]
    return seen
