"""`make run`: the development server and the task worker, started and stopped together.

Ctrl+C (or either process ending) stops both. The worker runs the emails, the document
bundles and the periodic jobs (manage.py tasks_worker); it does not reload on code changes
like runserver does: stop and start `make run` again after changing a task.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    port = sys.argv[1] if len(sys.argv) > 1 else "8000"
    manage = [sys.executable, str(ROOT / "manage.py")]
    processes = [
        subprocess.Popen([*manage, "tasks_worker"], cwd=ROOT),
        subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}"], cwd=ROOT),
    ]
    stopping = False

    def stop(*_args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping and all(p.poll() is None for p in processes):
            time.sleep(0.3)
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    return max((p.returncode or 0) for p in processes) if not stopping else 0


if __name__ == "__main__":
    sys.exit(main())
