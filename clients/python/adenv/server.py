"""Start and stop a local ``adenv serve`` process.

:class:`LocalServer` runs ``adenv serve --bind tcp://127.0.0.1:* --exit-with-stdin`` with its stdin
connected to a pipe that only this Python process holds. The server exits when that pipe closes,
so it dies with Python however Python ends — normal exit, an exception, or SIGKILL (the kernel
closes the pipe). Python-side cleanup (``close()``, ``with``, garbage collection and ``atexit``)
closes the pipe, waits for the process (no zombie) and escalates to SIGTERM then SIGKILL if it does
not exit in time. The server runs in its own session (process group), so a Ctrl-C in the terminal
reaches Python, not the server.

The binary is found by :func:`find_binary`: the ``ADENV_BINARY`` environment variable, else
``<repo>/.build/release/adenv``, else ``<repo>/.build/debug/adenv`` (``<repo>`` is the source
checkout this package sits in, or the first parent of the working directory holding
``Package.swift``), else ``adenv`` on ``PATH``.
"""

from __future__ import annotations

import atexit
import os
import selectors
import shutil
import subprocess
import tempfile
import threading
import time
import weakref
from pathlib import Path
from typing import List, Optional, Sequence

from .errors import ServerStartError

__all__ = ["LocalServer", "find_binary", "default_server", "stop_default_server"]

_READY = b"READY "


def _repo_roots() -> List[Path]:
    roots: List[Path] = []
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "Package.swift").is_file():
            roots.append(parent)
            break
    cwd = Path.cwd().resolve()
    for parent in (cwd, *cwd.parents):
        if (parent / "Package.swift").is_file():
            if parent not in roots:
                roots.append(parent)
            break
    return roots


def find_binary(explicit: Optional[str] = None) -> str:
    """The path of the ``adenv`` binary to run (see the module doc for the search order).

    Raises:
        ServerStartError: no binary was found; the message says where it looked.
    """
    if explicit:
        return explicit
    from_env = os.environ.get("ADENV_BINARY")
    if from_env:
        return from_env
    looked = ["$ADENV_BINARY"]
    for root in _repo_roots():
        for mode in ("release", "debug"):
            candidate = root / ".build" / mode / "adenv"
            looked.append(str(candidate))
            if os.access(candidate, os.X_OK):
                return str(candidate)
    on_path = shutil.which("adenv")
    if on_path:
        return on_path
    looked.append("adenv on PATH")
    raise ServerStartError(
        "no adenv binary found (looked at " + ", ".join(looked) + "); build it with "
        "`swift build -c release --product adenv` or set ADENV_BINARY"
    )


class LocalServer:
    """A local ``adenv serve`` process. Use as a context manager or call :meth:`close`.

    Args:
        binary: path of the ``adenv`` binary; default :func:`find_binary`.
        bind: the endpoint to bind; the default picks a free loopback port.
        args: extra ``adenv serve`` flags, e.g. ``["--idle-timeout", "5"]``.
        startup_timeout: seconds to wait for the ``READY <endpoint>`` line.

    Attributes:
        address: the endpoint the server reported (``tcp://127.0.0.1:40123``).
        process: the ``subprocess.Popen``.

    Raises:
        ServerStartError: the binary is missing, the process exited, or ``READY`` did not come in
            time (the message carries the server's stderr).
    """

    def __init__(
        self,
        binary: Optional[str] = None,
        *,
        bind: str = "tcp://127.0.0.1:*",
        args: Sequence[str] = (),
        startup_timeout: float = 30.0,
    ) -> None:
        self.binary = find_binary(binary)
        self.command = [self.binary, "serve", "--bind", bind, "--exit-with-stdin", *args]
        self._stderr = tempfile.TemporaryFile()
        self._lock = threading.Lock()
        self.address: Optional[str] = None
        try:
            self.process = subprocess.Popen(
                self.command,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                close_fds=True,
                start_new_session=True,
            )
        except OSError as error:
            self._stderr.close()
            raise ServerStartError(f"cannot run {self.binary}: {error}") from None
        # Stop the server at interpreter exit even if this object is still referenced.
        self._owner_pid = os.getpid()
        self._finalizer = weakref.finalize(self, _stop_process, self.process, self._stderr, 3.0, self._owner_pid)
        try:
            self.address = self._read_ready(startup_timeout)
        except BaseException:
            self.close(timeout=0.2)  # it failed to start: no graceful drain to wait for
            raise

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def liveness(self) -> Optional[str]:
        """None while the process runs; otherwise its exit status and the tail of its stderr."""
        code = self.process.poll()
        if code is None:
            return None
        return f"adenv serve exited with status {code}{self._stderr_tail()}"

    def close(self, timeout: float = 3.0) -> Optional[int]:
        """Stops the server: closes its stdin (it exits gracefully), then SIGTERM, then SIGKILL,
        waiting for it each time (no zombie). Idempotent. Returns the exit status."""
        with self._lock:
            self._finalizer.detach()
            return _stop_process(self.process, self._stderr, timeout, self._owner_pid)

    stop = close

    def __enter__(self) -> "LocalServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "running" if self.running else f"exited {self.process.returncode}"
        return f"LocalServer(address={self.address!r}, pid={self.pid}, {state})"

    # ------------------------------------------------------------------ internals

    def _read_ready(self, timeout: float) -> str:
        stdout = self.process.stdout
        assert stdout is not None
        fd = stdout.fileno()
        buffer = b""
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while b"\n" not in buffer:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise ServerStartError(
                        f"{' '.join(self.command)} printed no READY line within {timeout:g} s{self._stderr_tail()}"
                    )
                if not selector.select(min(remaining, 0.5)):
                    if self.process.poll() is not None:
                        raise ServerStartError(
                            f"{' '.join(self.command)} exited with status {self.process.returncode} before READY"
                            f"{self._stderr_tail()}"
                        )
                    continue
                chunk = os.read(fd, 4096)
                if not chunk:
                    self.process.wait(timeout=2)
                    raise ServerStartError(
                        f"{' '.join(self.command)} closed stdout (status {self.process.returncode}) before READY"
                        f"{self._stderr_tail()}"
                    )
                buffer += chunk
        line = buffer.split(b"\n", 1)[0].strip()
        if not line.startswith(_READY):
            raise ServerStartError(f"expected 'READY <endpoint>' from adenv serve, got {line[:200]!r}")
        return line[len(_READY):].decode("utf-8", "replace").strip()

    def _stderr_tail(self, limit: int = 2000) -> str:
        try:
            self._stderr.flush()
            size = self._stderr.seek(0, os.SEEK_END)
            self._stderr.seek(max(0, size - limit))
            text = self._stderr.read().decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            return ""
        return f"; stderr: {text}" if text else ""


def _close_quietly(*streams) -> None:
    """Closes each stream that is not None, ignoring errors (the other end may be gone)."""
    for stream in streams:
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass


def _stop_process(process: subprocess.Popen, stderr_file, timeout: float = 3.0, owner_pid: int = 0) -> Optional[int]:
    """Closes the server's stdin and waits; escalates to SIGTERM and SIGKILL. Never leaves a zombie.
    In a forked child (not the server's parent) it only closes the child's copies of the pipes."""
    try:
        if owner_pid and os.getpid() != owner_pid:
            _close_quietly(process.stdin, process.stdout)
            return None
        if process.poll() is None:
            _close_quietly(process.stdin)
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.terminate()
                try:
                    process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        _close_quietly(process.stdin, process.stdout)
        return process.returncode
    finally:
        try:
            stderr_file.close()
        except OSError:
            pass


_default_lock = threading.Lock()
_default: Optional[LocalServer] = None


def default_server() -> LocalServer:
    """The process-wide local server that envs created without an ``address`` share; started on
    first use (and again if it died), stopped at interpreter exit or by :func:`stop_default_server`."""
    global _default
    with _default_lock:
        if _default is None or _default._owner_pid != os.getpid() or not _default.running:
            _default = LocalServer()
        return _default


def stop_default_server() -> None:
    """Stops the shared local server, if one runs. Envs still using it will then fail."""
    global _default
    with _default_lock:
        server, _default = _default, None
    if server is not None:
        server.close()


atexit.register(stop_default_server)
