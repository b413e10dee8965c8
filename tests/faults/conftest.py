"""The fault tests run a real gunicorn on a copy of the demo database, built once per run."""

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.faults.server import Server, demo_copy, demo_database


@pytest.fixture(scope="session")
def demo_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    demo_database(folder)
    return folder


@pytest.fixture
def start_server(demo_folder):
    """Start gunicorn on a fresh copy of the demo; stopped (with anything left) at the end.

    The folder is outside pytest's temporary tree (whose parents are private to root) so that
    the workers may run as an unprivileged user: root ignores file permissions, and the
    read-only database test needs them to count.
    """
    servers = []
    folders = []

    def start(*, unprivileged: bool = False) -> Server:
        folder = Path(tempfile.mkdtemp(prefix="faults-"))
        folders.append(folder)
        demo_copy(demo_folder, folder)
        user = "nobody" if unprivileged and os.geteuid() == 0 else None
        server = Server(folder, user=user)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
