"""Several receiver processes on one port, writing to one PostgreSQL store (``serve --workers N``).

The parent checks the store (creating its table once), holds the port, and forks N workers; each
worker opens its own store connection and listens on the same port with ``SO_REUSEPORT``, so the
kernel spreads connections over them. A worker answers 200 only after its group commit, so a
worker killed at any moment loses nothing it acknowledged: its open connections fail and
Customer.io retries those deliveries, which the store's ``ON CONFLICT DO NOTHING`` absorbs. The
parent starts a new worker in place of one that died; SIGTERM or SIGINT stops them all.

Forking, not spawning: the parent has no threads and no open connection when it forks, and a
fork starts a worker in milliseconds rather than re-importing everything.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

from .._http_server import bind_socket

__all__ = ["serve_workers"]

logger = logging.getLogger("cio_toolkit.webhooks")

# A worker that exits on its own (not killed) this soon after starting is failing to start, and
# starting it again would only fail again: the whole server stops instead.
_STARTUP_GRACE = 5.0


def _hold_port(host: str, port: int) -> socket.socket:
    # Bound, never listening: reserves the port (and fails early if it is taken) without taking
    # a share of the connections, which go only to listening sockets.
    return bind_socket(host, port, reuse_port=True, listen=False)


def serve_workers(
    workers: int,
    host: str,
    port: int,
    run_worker: Callable[[int], None],
    *,
    on_start: Callable[[int, int], None] | None = None,
) -> int:
    """Fork ``workers`` processes, each calling ``run_worker(port)``; supervise them until told to stop.

    ``port`` 0 picks a free one. ``on_start(index, pid)`` is told of every worker started. Returns
    the exit status for the command: 0 after SIGTERM/SIGINT, 1 if a worker could not start.
    """
    held = _hold_port(host, port)
    port = int(held.getsockname()[1])
    children: dict[int, tuple[int, float]] = {}  # pid -> (index, started at)
    stopping = False

    def start(index: int) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 0
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                held.close()
                run_worker(port)
            except KeyboardInterrupt:
                pass
            except BaseException:
                logger.exception("webhook worker %d failed", index)
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        children[pid] = (index, time.monotonic())
        if on_start is not None:
            on_start(index, pid)

    def stop(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    for index in range(workers):
        start(index)
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    status = 0
    try:
        while children:
            try:
                pid, wait_status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:  # pragma: no cover - PEP 475 retries os.wait
                continue
            if pid not in children:
                continue
            index, started = children.pop(pid)
            if stopping:
                continue
            killed = os.WIFSIGNALED(wait_status)
            how = f"signal {os.WTERMSIG(wait_status)}" if killed else f"exit status {os.waitstatus_to_exitcode(wait_status)}"
            if not killed and time.monotonic() - started < _STARTUP_GRACE:
                logger.error("webhook worker %d (pid %d) ended with %s while starting; stopping", index, pid, how)
                status = 1
                stop(signal.SIGTERM, None)
                continue
            logger.warning("webhook worker %d (pid %d) ended with %s; starting a new one", index, pid, how)
            start(index)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        held.close()
    return status
