"""No process that serves a request forks: a worker killed with SIGKILL during a long
operation leaves no orphan holding the port, the client is not left hanging, and the site
answers again within seconds (issue 24: two PDF printers forked from a worker kept port 8000
after « Tout télécharger », and gunicorn could not restart until they were killed by hand).

Each case starts gunicorn (2 sync workers) on a copy of the demo, sends the request, finds
the worker that took it (the process holding the accepted connection), waits until that
worker is computing, samples its children, then kills it.
"""

from __future__ import annotations

import os
import secrets
import signal
import threading
import time

import pytest

from tests.faults.server import (
    alive,
    children,
    cpu_ticks,
    descendants,
    holders,
    multipart,
)

pytestmark = pytest.mark.faults


def _import_csv(rows: int = 10_000) -> bytes:
    lines = ["nom;prénom;email"] + [f"Nom{n};Prénom{n};p{n}@exemple.fr" for n in range(rows)]
    return ("\r\n".join(lines) + "\r\n").encode()


def _request(server, operation: str):
    """Return (method, path, headers, body) of a long operation on the demo."""
    info = server.info
    finished = info["finished"]
    if operation == "certificate":
        path = f"/sessions/{finished}/documents/certificate/{info['trainee']}.pdf"
        return "GET", path, {"Cookie": server.cookie("trainer")}, None
    if operation == "handout":
        path = f"/sessions/{finished}/documents/handout.pdf"
        return "GET", path, {"Cookie": server.cookie("trainer")}, None
    if operation == "attendance xlsx":
        return (
            "GET",
            "/emargement/exports/?telecharger=xlsx",
            {"Cookie": server.cookie("admin")},
            None,
        )
    if operation == "csv import preview":
        token = secrets.token_hex(16)
        content_type, body = multipart(
            {"csrfmiddlewaretoken": token}, {"file": ("stagiaires.csv", _import_csv(), "text/csv")}
        )
        headers = {"Cookie": server.cookie("trainer", csrf=token), "Content-Type": content_type}
        return "POST", f"/sessions/{info['upcoming']}/stagiaires/importer/", headers, body
    if operation == "bundle":
        # « Tout télécharger »: the request queues the build for the task worker.
        token = secrets.token_hex(16)
        headers = {
            "Cookie": server.cookie("trainer", csrf=token),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = f"csrfmiddlewaretoken={token}".encode()
        return "POST", f"/sessions/{finished}/documents/archive-tout/", headers, body
    raise AssertionError(operation)


class InFlight(threading.Thread):
    """The client: sends the request and records how it ended, and when."""

    def __init__(self, server, operation, timeout: float = 30):
        super().__init__(daemon=True)
        self.timeout = timeout
        self.method, self.path, self.headers, self.body = _request(server, operation)
        self.server = server
        self.outcome = None
        self.ended = None

    def run(self):
        try:
            status, _headers, body = self.server.request(
                self.method, self.path, headers=self.headers, body=self.body, timeout=self.timeout
            )
            self.outcome = ("response", status, len(body))
        except Exception as error:  # noqa: BLE001 - a reset or an incomplete answer is expected
            self.outcome = ("error", type(error).__name__, 0)
        self.ended = time.monotonic()


def _busy_worker(server, master: int, client: InFlight, deadline: float) -> int:
    """Return the worker holding the accepted connection, once it is computing."""
    worker = None
    while time.monotonic() < deadline and client.is_alive():
        busy = holders(server.port, listening=False) - {master}
        workers = set(children(master))
        if busy & workers:
            worker = min(busy & workers)
            break
        time.sleep(0.005)
    assert worker is not None, f"no worker took the request ({client.outcome})"
    start = cpu_ticks(worker)
    while time.monotonic() < deadline and client.is_alive():
        if cpu_ticks(worker) - start >= 3 or descendants(worker):  # inside the operation
            return worker
        time.sleep(0.005)
    return worker


def _kill_during(server, operation: str) -> None:
    """Kill the worker serving ``operation`` mid-way; check the port, the client, the site."""
    master = server.process.pid
    client = InFlight(server, operation)
    client.start()
    worker = _busy_worker(server, master, client, deadline=time.monotonic() + 20)
    forked = set(descendants(worker))
    assert client.is_alive(), f"the operation ended before the kill: {client.outcome}"
    os.kill(worker, signal.SIGKILL)
    killed_at = time.monotonic()

    # The client is told at once (its connection is closed), not left to its timeout.
    client.join(timeout=10)
    assert not client.is_alive(), "the client hangs: something still holds its connection"
    assert client.outcome[0] == "error" or client.outcome[1] >= 500, client.outcome
    assert client.ended - killed_at < 5

    # No process of the killed worker survives, and only gunicorn holds the port.
    deadline = time.monotonic() + 10
    while True:
        orphans = {pid for pid in forked if alive(pid)}
        strangers = holders(server.port) - {master, *children(master)}
        if (not orphans and not strangers and not alive(worker)) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert not alive(worker)
    assert orphans == set(), f"orphans of the killed worker: {orphans}"
    assert strangers == set(), f"processes outside gunicorn hold the port: {strangers}"

    # The master replaces the worker and the site answers within seconds.
    assert server.wait_ready(timeout=10) < 10


def _forks_while_serving(server, operation: str) -> tuple[set[int], tuple]:
    """Serve ``operation`` to the end, sampling the serving worker's children every 5 ms."""
    master = server.process.pid
    client = InFlight(server, operation, timeout=120)
    client.start()
    forked: set[int] = set()
    deadline = time.monotonic() + 120
    while client.is_alive() and time.monotonic() < deadline:
        for worker in holders(server.port, listening=False) & set(children(master)):
            forked |= set(descendants(worker))
        time.sleep(0.005)
    client.join(timeout=1)
    return forked, client.outcome


@pytest.mark.parametrize(
    "operation",
    ["certificate", "handout", "attendance xlsx", "csv import preview"],
)
def test_a_worker_killed_during_a_long_operation_leaves_the_port_free_and_the_site_up(
    start_server, operation
):
    server = start_server()
    _kill_during(server, operation)
    # Then the same operation served to the end: the worker never forks meanwhile.
    forked, outcome = _forks_while_serving(server, operation)
    assert outcome[:2] == ("response", 200), outcome
    assert forked == set(), f"the worker forked while serving the request: {forked}"


def test_tout_telecharger_answers_at_once_and_its_worker_never_forks(start_server):
    """The 43-PDF bundle that took the site down (an in-request pool of forked printers) is
    now the task worker's: the request only queues it, and forks nothing."""
    server = start_server()
    began = time.monotonic()
    forked, outcome = _forks_while_serving(server, "bundle")
    assert outcome[:2] == ("response", 302), outcome
    assert time.monotonic() - began < 5
    assert forked == set(), f"the worker forked while serving the request: {forked}"
