"""``ecmgraph serve``: the site made, the workers forked and the application run under uvicorn, on a socket bound
before the data is read (so that a port in use fails at once), until SIGINT or SIGTERM."""

from __future__ import annotations

import datetime as dt
import ipaddress
import signal
import socket
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

from ecmgraph.errors import InputError
from ecmgraph.serve.app import Settings, create_app
from ecmgraph.serve.site import build_site
from ecmgraph.serve.tasks import TASKS, ServeState, reopen_store
from ecmgraph.serve.workers import WorkerPool
from ecmgraph.store import Dataset
from ecmgraph.threads import usable_cpus

#: How many queries may wait for a free worker before the server answers 503 (busy).
MAX_WAITING = 128


@dataclass(frozen=True)
class ServeOptions:
    """How to serve: address, limits, workers, the site's day and its address for links."""

    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0
    max_rows: int = 10_000
    max_request: int = 1024 * 1024
    workers: int = 0  # 0: one per core
    base_url: str | None = None
    as_of: dt.date | None = None
    access_log: bool = True


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket at ``host``:``port`` (0: any free port). Raises InputError when it cannot be had."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, _, _, _, address = infos[0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # No Nagle: uvicorn, given a socket, leaves the connections it accepts as they come (on Linux, with the
        # listener's options), and writes an answer's head and body apart; with Nagle on, each answer on a
        # kept-alive connection waited for the client's delayed ACK, about 40 ms.
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind(address)
        sock.listen(512)
    except OSError as exc:
        raise InputError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            hint="give another --port (--port 0 takes any free one), or stop what is listening there",
        ) from None
    sock.set_inheritable(False)
    return sock


class _Stopped(Exception):
    """SIGTERM, once uvicorn has shut down: the server stops as on Ctrl-C."""


def serve(
    dataset: Dataset,
    sock: socket.socket,
    options: ServeOptions,
    *,
    store_dir: str | None = None,
    say: Callable[[str], None] | None = None,
) -> None:
    """Serve ``dataset`` on the bound socket ``sock`` until SIGINT or SIGTERM; the workers are killed then.
    ``say`` is told, once, where the server answers. Raises what validation and the site's build raise."""
    import uvicorn

    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    base_url = options.base_url or f"http://{shown}:{port}/"
    if not base_url.endswith("/"):
        base_url += "/"
    live = build_site(dataset, base_url=base_url, as_of=options.as_of)
    state = ServeState(dataset, live.site, options.max_rows, live.report, store_dir=store_dir)
    pool = WorkerPool(
        state,
        TASKS,
        size=options.workers or usable_cpus(),
        timeout=options.timeout,
        max_waiting=MAX_WAITING,
        on_start=reopen_store,
    )
    graphs = tuple(sorted({g for s in dataset.sources for g in s.graphs}))
    settings = Settings(live, pool, base_url, options.max_request, options.max_rows, options.timeout, graphs)
    app = create_app(settings)
    config = uvicorn.Config(
        app,
        log_level="info",
        access_log=options.access_log,
        log_config=_log_config(),
        timeout_graceful_shutdown=5,
        # An idle connection is kept longer than clients keep theirs (httpx 5 s, nginx's upstream keep-alive 60 s):
        # a server that closes it first can close it just as the client sends its next request on it, which the
        # client sees as a dropped connection (uvicorn's default is 5 s).
        timeout_keep_alive=75,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    if say is not None:
        triples = len(dataset.store)
        say(
            f"Serving {triples:,} statements at http://{shown}:{port}/ (SPARQL at /sparql, the query page at "
            f"/query), {pool.size} workers, queries stopped after {options.timeout:g} s or {options.max_rows:,} "
            "rows. Ctrl-C stops."
        )

    def stop(signum: int, frame: FrameType | None) -> None:
        raise _Stopped

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        server.run(sockets=[sock])
    except (KeyboardInterrupt, _Stopped):
        pass
    finally:
        pool.close()
        signal.signal(signal.SIGTERM, previous)
        sock.close()


def _log_config() -> dict[str, object]:
    """uvicorn's logging on standard error, the access log included (standard output is for data)."""
    stream = "ext://sys.stderr"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(message)s", "datefmt": "%Y-%m-%dT%H:%M:%S"},
        },
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": stream}},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }


def warn_if_exposed(host: str, warn: Callable[[str], None]) -> None:
    """Say so when the server would be reachable from other machines."""
    if not is_loopback(host):
        warn(
            f"Warning: serving on {host}, reachable from other machines: ecmgraph serve has no authentication "
            "and no TLS; put it behind a reverse proxy (README, Serving)"
        )
