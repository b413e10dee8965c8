import os
import subprocess
import sys

import pytest
from django.conf import settings

from core.pdf import render_pdf


@pytest.mark.django_db
def test_pdfs_are_tagged_and_carry_their_metadata(tmp_path):
    path = tmp_path / "fiche.pdf"
    path.write_bytes(
        render_pdf("boussole/pdf/fiche.html", {}, title="Fiche de test", author="Organisme")
    )
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert "Fiche de test" in info
    assert "Organisme" in info


def test_a_process_that_printed_a_pdf_exits_cleanly(tmp_path):
    """A command that prints PDFs must end with status 0, not crash while the interpreter ends.

    The per-thread font configuration used to be freed after Pango during teardown (SIGSEGV).
    """
    out = tmp_path / "fiche.pdf"
    script = (
        "import django, pathlib, sys; django.setup();"
        "from core.pdf import render_pdf;"
        "pathlib.Path(sys.argv[1]).write_bytes(render_pdf('boussole/pdf/fiche.html', {},"
        " title='Fiche', author='Organisme'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(out)],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "training.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert out.read_bytes().startswith(b"%PDF-")
