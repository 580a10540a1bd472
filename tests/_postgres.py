"""A throwaway PostgreSQL server for tests and benchmarks: its own data directory, a loopback port.

The server binaries are found on PATH, under ``$PG_BIN``, or in Debian's
``/usr/lib/postgresql/<version>/bin``. initdb refuses to run as root, so as root the cluster
belongs to the ``postgres`` user (or ``nobody``) and the server runs as that user. ``stop()`` stops
it and removes the directory.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

__all__ = ["PostgresServer", "find_bin_dir"]


def find_bin_dir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``, newest version first; None if there is none."""
    if os.environ.get("PG_BIN"):
        return Path(os.environ["PG_BIN"])
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return candidates[-1].parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One PostgreSQL cluster on 127.0.0.1; ``database()`` gives the URL of a new, empty database."""

    def __init__(self, bin_dir: Path, *, durable: bool = True) -> None:
        self.bin_dir = bin_dir
        self.durable = durable  # fsync on commit, as in production; off makes tests faster
        self.root = Path(tempfile.mkdtemp(prefix="cio-pg-"))
        self.port = 0
        self._user: str | None = None
        if os.geteuid() == 0:
            self._user = next((u for u in ("postgres", "nobody") if _user_exists(u)), None)
            if self._user is None:
                raise RuntimeError("running as root, and there is no 'postgres' or 'nobody' user for initdb")
            entry = pwd.getpwnam(self._user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self.root.chmod(0o700)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        kwargs: dict[str, object] = {}
        if self._user is not None:
            kwargs = {"user": self._user, "group": pwd.getpwnam(self._user).pw_gid, "extra_groups": []}
        env = {**os.environ, "LC_ALL": "C", "HOME": str(self.root)}
        return subprocess.run(
            args, capture_output=True, text=True, env=env, cwd=self.root, timeout=120, check=False, **kwargs
        )  # type: ignore[call-overload]

    def start(self) -> PostgresServer:
        """initdb, then start on a free loopback port (a few tries: a free port can be taken meanwhile)."""
        data = self.root / "data"
        done = self._run(
            str(self.bin_dir / "initdb"), "-D", str(data), "-U", "cio", "--auth=trust", "-E", "UTF8", "--no-sync"
        )
        if done.returncode:
            raise RuntimeError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        settings = ["-c listen_addresses=127.0.0.1", f"-c unix_socket_directories={self.root}"]
        settings += ["-c max_connections=200", "-c shared_buffers=32MB"]
        if not self.durable:
            settings += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        for _ in range(3):
            self.port = _free_port()
            done = self._run(
                str(self.bin_dir / "pg_ctl"), "-D", str(data), "-l", str(self.root / "server.log"), "-w",
                "-t", "60", "-o", " ".join([f"-p {self.port}", *settings]), "start",
            )  # fmt: skip
            if done.returncode == 0:
                return self
        log = (self.root / "server.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"PostgreSQL did not start: {done.stderr.strip()}\n{log}")

    @property
    def url(self) -> str:
        """The URL of the cluster's ``postgres`` database."""
        return f"postgresql://cio@127.0.0.1:{self.port}/postgres"

    def database(self) -> str:
        """Create an empty database and return its URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url, autocommit=True) as con:
            con.execute(f"CREATE DATABASE {name}")
        return f"postgresql://cio@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        """Stop the server (fast shutdown) and delete its directory."""
        with contextlib.suppress(Exception):
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PostgresServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
