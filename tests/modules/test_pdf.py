import subprocess

import pytest

from modules.pdf import render_pdf


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
