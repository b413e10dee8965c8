"""The fault tests run a real gunicorn on a copy of the demo database, built once per run."""

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

    ``file_permissions_apply``: root ignores file permissions, so a read-only file would not
    be read-only for a server run by root; the server then runs without those capabilities
    (``setpriv``, from util-linux).
    """
    servers = []
    folders = []

    def start(*, file_permissions_apply: bool = False) -> Server:
        folder = Path(tempfile.mkdtemp(prefix="faults-"))
        folders.append(folder)
        demo_copy(demo_folder, folder)
        server = Server(folder, file_permissions_apply=file_permissions_apply)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
