"""A real gunicorn serving the project on a throwaway demo database, and what the fault tests
read from /proc: which process holds a socket, which are a process's children.

Only 127.0.0.1 is used; every loop is bounded in time.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
SETTINGS = "tests.faults.settings"

INFO_SCRIPT = """
import json
from django.contrib.sessions.backends.db import SessionStore
from training.models import Enrolment, TrainingSession, User


def cookie(email):
    user = User.objects.get(email=email)
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "training.accounts.auth.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key


finished = TrainingSession.objects.get(code="DEMO-TERMINEE")
upcoming = TrainingSession.objects.get(code="DEMO-A-VENIR")
trainee = Enrolment.objects.filter(session=finished).order_by("pk").first().trainee
print("INFO" + json.dumps({
    "admin": cookie("admin@demo.example"),
    "trainer": cookie("formatrice@demo.example"),
    "finished": finished.pk,
    "upcoming": upcoming.pk,
    "trainee": trainee.pk,
}))
"""


def manage_env(folder: Path, secret: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DJANGO_SECRET_KEY=secret,
        SQLITE_PATH=str(folder / "db.sqlite3"),
        DJANGO_MEDIA_ROOT=str(folder / "media"),
        DJANGO_STATIC_ROOT=str(folder / "static"),
        PYTHONPATH=str(ROOT),
    )
    return env


def manage(env: dict, *args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def demo_database(folder: Path) -> None:
    """Migrate, load the course and seed the demo into ``folder/db.sqlite3`` (about 10 s)."""
    env = manage_env(folder, "build-only")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_course")
    manage(env, "seed_demo", "--force")  # DEBUG is off in these settings


def demo_copy(source: Path, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "db.sqlite3", folder / "db.sqlite3")
    if (source / "media").exists():
        shutil.copytree(source / "media", folder / "media", dirs_exist_ok=True)


@dataclass
class Server:
    """gunicorn with 2 sync workers on 127.0.0.1 (a free port), as in production."""

    folder: Path
    # Run without the capabilities that let root ignore file permissions (CAP_DAC_OVERRIDE,
    # CAP_DAC_READ_SEARCH), so that a file made read-only is read-only for the server too.
    file_permissions_apply: bool = False
    bind_port: int = 0  # 0: a free port
    extra_env: dict = field(default_factory=dict)
    workers: int = 2
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    process: subprocess.Popen | None = None
    port: int = 0
    info: dict = field(default_factory=dict)

    @property
    def env(self) -> dict:
        return {**manage_env(self.folder, self.secret), **self.extra_env}

    def start(self) -> Server:
        self.info = json.loads(manage(self.env, "shell", stdin=INFO_SCRIPT).split("INFO", 1)[1])
        command = []
        if self.file_permissions_apply and os.geteuid() == 0:
            command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]
        command += [
            GUNICORN,
            "training.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.bind_port}",
            "--workers",
            str(self.workers),
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--log-level",
            "info",
        ]
        if _has_control_socket():
            command += ["--no-control-socket"]  # gunicorn ≥ 24: one per server, not shared
        self.log = self.folder / "gunicorn.log"
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log.open("wb"),
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not self.port:
            match = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", self.log.read_text())
            if match:
                self.port = int(match.group(1))
            time.sleep(0.1)
        assert self.port, self.log.read_text()[-3000:]
        self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 60) -> float:
        """Wait until the home page answers 200 on every worker; return the seconds waited."""
        began = time.monotonic()
        while time.monotonic() - began < timeout:
            if len(self.worker_pids()) == self.workers:
                try:
                    if all(self.get("/", timeout=5)[0] == 200 for _ in range(self.workers)):
                        return time.monotonic() - began
                except OSError:
                    pass
            time.sleep(0.1)
        raise AssertionError(f"gunicorn not ready: {self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is None:
            return
        with_children = [self.process.pid, *descendants(self.process.pid)]
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)
        for pid in with_children:  # whatever a test left behind
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def worker_pids(self) -> list[int]:
        return children(self.process.pid)

    # --- HTTP

    def cookie(self, who: str, csrf: str | None = None) -> str:
        cookie = f"sessionid={self.info[who]}"
        return f"{cookie}; csrftoken={csrf}" if csrf else cookie

    def connection(self, timeout: float = 30) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def get(self, path: str, *, who: str | None = None, timeout: float = 30):
        headers = {"Cookie": self.cookie(who)} if who else {}
        return self.request("GET", path, headers=headers, timeout=timeout)

    def request(self, method, path, *, headers=None, body=None, timeout: float = 30):
        connection = self.connection(timeout)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def post_form(self, path: str, fields: dict, *, who: str, timeout: float = 30):
        from urllib.parse import urlencode

        token = secrets.token_hex(16)  # 32 characters: a valid unmasked CSRF secret
        headers = {
            "Cookie": self.cookie(who, csrf=token) if who else f"csrftoken={token}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = urlencode({"csrfmiddlewaretoken": token, **fields})
        return self.request("POST", path, headers=headers, body=body, timeout=timeout)


def _has_control_socket() -> bool:
    result = subprocess.run([GUNICORN, "--help"], capture_output=True, text=True, check=False)
    return "--no-control-socket" in result.stdout


def multipart(fields: dict, files: dict) -> tuple[str, bytes]:
    """Return (content type, body) of a multipart form."""
    boundary = secrets.token_hex(12)
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, data, content_type) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts)


# --- /proc --------------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(p) for p in (task / "children").read_text().split()]
    return sorted(set(found))


def descendants(pid: int) -> list[int]:
    found = []
    for child in children(pid):
        found += [child, *descendants(child)]
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def cpu_ticks(pid: int) -> int:
    """User + system CPU time of a process, in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _socket_inodes(port: int, *, listening: bool) -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rsplit(":", 1)[1], 16)
            state = fields[3]
            if local_port == port and (state == "0A") == listening:
                inodes.add(fields[9])
    return inodes


def holders(port: int, *, listening: bool = True) -> set[int]:
    """Return the processes that hold a socket of ``port`` (the listening one by default)."""
    inodes = {f"socket:[{inode}]" for inode in _socket_inodes(port, listening=listening)}
    found = set()
    for fd_dir in Path("/proc").glob("[0-9]*/fd"):
        try:
            for fd in fd_dir.iterdir():
                try:
                    if os.readlink(fd) in inodes:
                        found.add(int(fd_dir.parent.name))
                        break
                except OSError:
                    continue
        except OSError:
            continue
    return found
