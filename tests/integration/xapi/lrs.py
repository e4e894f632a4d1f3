"""Two LRSs on loopback for tests and the benchmark: a real one (Ralph) and a scripted one."""

import base64
import json
import os
import socket
import struct
import subprocess
import sys
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from tests.helpers import free_port

RALPH_USER = "elearn-tests"
RALPH_PASSWORD = "not-a-real-secret-1"

# Ralph's fs backend takes many writes once its default is "append".
LAUNCHER = """\
import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND  # accept many writes
from ralph.api import app  # noqa: E402  (must come after the line above)


uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


@dataclass
class RalphLRS:
    """Ralph (PyPI ralph-malph) as a subprocess with its file backend in ``root``."""

    root: Path
    port: int = 0
    process: subprocess.Popen | None = None
    _log: object = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def endpoint(self) -> str:
        return f"{self.base}/xAPI/statements"

    def _env(self) -> dict:
        return {
            **os.environ,
            "RALPH_APP_DIR": str(self.root / ".ralph"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.root / "data"),
        }

    def start(self, timeout: float = 60.0) -> "RalphLRS":
        ralph = Path(sys.executable).parent / "ralph"
        subprocess.run(
            [str(ralph), "auth", "-u", RALPH_USER, "-p", RALPH_PASSWORD, "-s", "all"]
            + ["-A", "elearn", "https://guides.example.org", "-w"],
            env=self._env(),
            check=True,
            capture_output=True,
        )
        launcher = self.root / "launch_ralph.py"
        launcher.write_text(LAUNCHER)
        self.port = free_port()
        self._log = open(self.root / "ralph.log", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            [sys.executable, str(launcher), str(self.port)],
            env=self._env(),
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=1.0) as client:
            while True:
                if self.process.poll() is not None:
                    self.stop()
                    log = (self.root / "ralph.log").read_text(errors="replace")
                    raise RuntimeError(f"Ralph exited at start:\n{log}")
                try:
                    client.get(f"{self.base}/whoami")
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline:
                        self.stop()
                        raise RuntimeError("Ralph did not answer in time") from None
                    time.sleep(0.1)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def statements(self) -> list[dict]:
        """Every statement the LRS holds, following its "more" links."""
        found: list[dict] = []
        url = f"{self.endpoint}?limit=500"
        headers = {"X-Experience-API-Version": "1.0.3"}
        with httpx.Client(timeout=30.0, auth=(RALPH_USER, RALPH_PASSWORD)) as client:
            while url:
                response = client.get(url, headers=headers)
                response.raise_for_status()
                body = response.json()
                found.extend(body["statements"])
                more = body.get("more")
                url = f"{self.base}{more}" if more else None
        return found


@dataclass
class ScriptedLRS:
    """A small LRS on loopback whose next answers can be scripted.

    Without a script it behaves like a conforming LRS: 200 with the ids for new statements, 409
    if any id is stored already, 401 for wrong credentials. ``script`` holds the next answers,
    one per request: ``("status", code, headers, body)``, ``("html", code, page)``,
    ``("hang",)`` (no answer until the client gives up) or ``("store-then-hang",)`` (stores the
    batch, never answers).
    ``reject`` maps statement ids to a reason: a batch holding one is refused with 400.
    ``max_batch`` answers 413 to bigger batches. ``delay`` slows every answer. ``about`` is what
    GET .../about answers (None: 404, as Ralph does).
    """

    username: str = "lrs-user"
    password: str = "lrs-password"
    script: deque = field(default_factory=deque)
    reject: dict = field(default_factory=dict)
    max_batch: int | None = None
    delay: float = 0.0
    stored: dict = field(default_factory=dict)
    store_count: Counter = field(default_factory=Counter)
    requests: list = field(default_factory=list)  # (ids, headers) per request
    about: dict | None = field(default_factory=lambda: {"version": ["1.0.3"]})  # None: no About
    about_reads: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _release: threading.Event = field(default_factory=threading.Event)

    def start(self) -> "ScriptedLRS":
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                lrs.handle(self, body)

            def do_GET(self):
                with lrs._lock:
                    lrs.about_reads += 1
                if self.path.endswith("/about") and lrs.about is not None:
                    lrs._answer(self, 200, lrs.about)
                else:
                    lrs._answer(self, 404, {"detail": "Not Found"})

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a client that timed out and closed is expected here

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI/statements"

    @property
    def received_ids(self) -> list[str]:
        return [statement_id for ids, _ in self.requests for statement_id in ids]

    def _answer(self, handler, code: int, body=None, headers=None) -> None:
        payload = b"" if body is None else json.dumps(body).encode()
        handler.send_response(code)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _hang(self, handler) -> None:
        self._release.wait(30)
        handler.close_connection = True

    def handle(self, handler, body: bytes) -> None:
        statements = json.loads(body)
        ids = [statement["id"] for statement in statements]
        with self._lock:
            self.requests.append((ids, dict(handler.headers)))
            action = self.script.popleft() if self.script else None
        if self.delay:
            time.sleep(self.delay)
        if action is not None:
            if action[0] == "status":
                _, code, headers, payload = action
                self._answer(handler, code, payload, headers)
                return
            if action[0] == "html":  # a web server or proxy answering, not an LRS
                _, code, page = action
                raw = page.encode()
                handler.send_response(code)
                handler.send_header("Content-Type", "text/html; charset=utf-8")
                handler.send_header("Content-Length", str(len(raw)))
                handler.end_headers()
                handler.wfile.write(raw)
                return
            if action[0] == "store-then-hang":
                with self._lock:
                    self._store(statements)
            self._hang(handler)
            return
        expected = "Basic " + base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        if handler.headers.get("Authorization") != expected:
            self._answer(handler, 401, {"detail": "Invalid authentication credentials"})
            return
        if self.max_batch is not None and len(ids) > self.max_batch:
            self._answer(handler, 413, {"detail": "Request entity too large"})
            return
        bad = [self.reject[i] for i in ids if i in self.reject]
        if bad:
            self._answer(handler, 400, {"detail": bad[0]})
            return
        with self._lock:
            if any(statement_id in self.stored for statement_id in ids):
                conflict = next(i for i in ids if i in self.stored)
                self._answer(handler, 409, {"detail": f"Statement {conflict} already exists"})
                return
            self._store(statements)
        self._answer(handler, 200, ids)

    def _store(self, statements: list[dict]) -> None:
        for statement in statements:
            self.stored[statement["id"]] = statement
            self.store_count[statement["id"]] += 1


@dataclass
class FaultProxy:
    """A TCP proxy in front of an LRS that can fail the way networks do.

    ``mode`` is "pass" (forward both ways), "reset" (accept, then close at once: the client sees
    its connection dropped) or "hang" (accept and read, never answer). ``attempts`` counts the
    connections made in each mode, so a test can count how often the sender knocked during an
    outage (with the LRS down every try is a new connection).
    """

    target_port: int
    mode: str = "pass"
    attempts: Counter = field(default_factory=Counter)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _closing: threading.Event = field(default_factory=threading.Event)
    _open: list = field(default_factory=list)  # forwarded connections, cut on a change of mode

    def set_mode(self, mode: str) -> None:
        """Fail (or recover) from now on: connections kept alive by the client are cut too."""
        with self._lock:
            self.mode = mode
            live, self._open = self._open, []
        for sock in live:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def start(self) -> "FaultProxy":
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self._closing.set()
        self.set_mode("reset")  # cuts the forwarded connections
        self.thread.join(timeout=5)
        self.listener.close()

    def endpoint(self, path: str = "/xAPI/statements") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _accept(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with self._lock:
                mode = self.mode
                self.attempts[mode] += 1
            threading.Thread(target=self._serve, args=(client, mode), daemon=True).start()

    def _serve(self, client: socket.socket, mode: str) -> None:
        if mode == "reset":
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            client.close()
            return
        if mode == "hang":
            client.settimeout(0.1)
            while not self._closing.is_set():
                try:
                    if not client.recv(65536):
                        break
                except TimeoutError:
                    continue
                except OSError:
                    break
            client.close()
            return
        upstream = socket.create_connection(("127.0.0.1", self.target_port))
        with self._lock:
            self._open.extend((client, upstream))
        back = threading.Thread(target=self._pump, args=(upstream, client), daemon=True)
        back.start()
        self._pump(client, upstream)
        back.join(timeout=35)
        client.close()
        upstream.close()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
