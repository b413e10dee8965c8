"""WSGI entry point (gunicorn training.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "training.settings")
application = get_wsgi_application()

# Import WeasyPrint when the worker boots, not in the first request that prints a PDF: its
# import looks for its C libraries by running `ldconfig` and `gcc` (ctypes.util.find_library),
# and no process serving a request may fork (tests/faults/test_worker_kill.py). It also takes
# about a second that the first PDF of each worker no longer waits.
import weasyprint  # noqa: E402, F401
