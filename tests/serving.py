"""A real ``ecmgraph serve`` for the tests: started as a subprocess on a free loopback port (``--port 0``; the
port is read from its first line on standard error), stopped with SIGTERM."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ECMGRAPH = Path(sys.executable).with_name("ecmgraph")


class Server:
    """A running ``ecmgraph serve``: its URL, its log, and how to stop it."""

    def __init__(self, args: list[str], log: Path, wait: float = 60) -> None:
        self.log = log
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            [str(ECMGRAPH), "serve", "--port", "0", *args], stdout=subprocess.DEVNULL, stderr=self._log_file, cwd=ROOT
        )
        deadline = time.monotonic() + wait
        while True:
            text = log.read_text(errors="replace")
            found = re.search(r"Serving .* at (http://\S+/) ", text)
            if found:
                self.url = found[1]
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"ecmgraph serve did not start: {text}")
            time.sleep(0.05)

    def stop(self) -> int:
        """SIGTERM, and the exit code (killed after 10 s)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()
        return self.process.returncode
