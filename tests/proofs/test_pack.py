"""The proof pack of the demo's finished session: built, verified offline, then tampered
with (one byte changed, a file added, one removed) and ``verify_pack`` names each; every
file of the manifest is in the ZIP and the other way round; the same data gives the same
manifest.

Building the pack prints the session's PDFs (about 45), so one built pack is checked from
every side in few tests.
"""

import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from training.demo.services import DEMO_FINISHED_CODE, demo_seed
from training.proofs import seal
from training.proofs.selectors import SECTION_TITLES, pack_plan
from training.proofs.services import pack_build
from training.sessions.models import TrainingSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_session(course_loaded):
    demo_seed()
    return TrainingSession.objects.get(code=DEMO_FINISHED_CODE)


def _verify(path, capsys, *extra) -> tuple[int, str]:
    try:
        call_command("verify_pack", str(path), *extra)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, capsys.readouterr().out


def _rewrite(source: Path, target: Path, *, change=None, add=None, remove=None) -> None:
    """Copy a ZIP, changing one byte of ``change``, adding ``add`` and leaving out ``remove``."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename == remove:
                continue
            data = old.read(info)
            if info.filename == change:
                data = bytes([data[0] ^ 0x01]) + data[1:]
            new.writestr(info, data)
        if add:
            new.writestr(add, b"ajout")


def test_the_demo_pack_verifies_then_each_change_is_named(demo_session, tmp_path, capsys):
    pack = tmp_path / "dossier.zip"
    call_command("proof_pack", DEMO_FINISHED_CODE, "--out", str(pack))
    capsys.readouterr()
    code, out = _verify(pack, capsys)
    assert code == 0, out
    assert "OK: signature valid" in out

    with zipfile.ZipFile(pack) as archive:
        names = [info.filename for info in archive.infolist()]
        manifest = json.loads(archive.read("manifest.json"))
        listed = [entry["path"] for entry in manifest["files"]]
        # Every file named in the manifest is in the ZIP, and every file of the ZIP is in it.
        assert sorted(listed) == sorted(set(names) - {"manifest.json", "manifest.sig"})
        assert len(names) == len(set(names))
        for entry in manifest["files"]:
            data = archive.read(entry["path"])
            assert seal.sha256(data) == entry["sha256"] and len(data) == entry["size"]
        assert {info.date_time for info in archive.infolist()} == {seal.ZIP_DATE}
        index = archive.read("index.pdf")
    # What the pack holds for the demo's session.
    for expected in (
        "01-programme/programme.pdf",
        "02-convocations/envois.csv",
        "03-emargement/demo-terminee-feuille-emargement.pdf",
        "03-emargement/enregistrements.csv",
        "03-emargement/attestations-formateur.csv",
        "04-evaluations/resultats-par-objectif.csv",
        "06-satisfaction/a-chaud.csv",
        "07-qualite/reclamations.csv",
        "07-qualite/actions-amelioration.csv",
        "08-audit/journal.csv",
        "09-veille/journal-veille.pdf",
        "cle-publique.pem",
        "LISEZMOI.txt",
    ):
        assert expected in listed, expected
    trainees = demo_session.enrolments.filter(status="inscrit").count()
    assert len([p for p in listed if p.startswith("05-certificats/")]) == trainees
    assert len([p for p in listed if p.startswith("03-emargement/chaines/")]) == 6
    # Indicators named by number, each file mapped; absent parts listed with their reason.
    assert {"1", "2", "4", "5", "8", "9", "10", "11", "30", "31", "32"} <= set(manifest["qualiopi"])
    by_path = {entry["path"]: entry for entry in manifest["files"]}
    assert by_path["04-evaluations/resultats-par-objectif.csv"]["qualiopi"] == [4, 8, 10, 11]
    assert by_path["03-emargement/enregistrements.csv"]["funder"] == ["realisation", "assiduite"]
    absent = {item["title"]: item["reason"] for item in manifest["absent"]}
    cold = next(title for title in absent if "semaines après" in title)
    assert "Aucune réponse" in absent[cold]
    # The readable index says the same, in French.
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(index)).pages)
    assert "Dossier de preuves" in text and "Comment vérifier ce dossier" in text
    for title in SECTION_TITLES.values():
        assert title.split(" ")[0] in text
    assert "Absent :" in text
    assert manifest["key_fingerprint"] in text

    # One byte changed, one file added, one removed: each is named, and the exit code is 1.
    tampered = tmp_path / "modifie.zip"
    _rewrite(
        pack,
        tampered,
        change="03-emargement/enregistrements.csv",
        add="03-emargement/en-trop.pdf",
        remove="08-audit/journal.csv",
    )
    code, out = _verify(tampered, capsys)
    assert code == 1
    assert "CHANGED 03-emargement/enregistrements.csv" in out
    assert "ADDED 03-emargement/en-trop.pdf" in out
    assert "REMOVED 08-audit/journal.csv" in out
    assert "NOT VALID: 3 problem(s)." in out

    # A manifest edited to match a changed file no longer carries a valid signature.
    forged = tmp_path / "manifeste.zip"
    with zipfile.ZipFile(pack) as old, zipfile.ZipFile(forged, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "manifest.json":
                data = data.replace(b'"size": ', b'"size":  ', 1)
            new.writestr(info, data)
    code, out = _verify(forged, capsys)
    assert code == 1 and "bad signature" in out

    # Signed by a key other than the one the organisation publishes.
    code, out = _verify(pack, capsys, "--key-fingerprint", "0000 1111")
    assert code == 1 and "not by the expected key" in out


def test_the_same_data_gives_the_same_manifest(demo_session):
    first = dict(pack_build(session=demo_session))
    second = dict(pack_build(session=demo_session))

    def stable(files):
        manifest = json.loads(files["manifest.json"])
        manifest["files"] = [e for e in manifest["files"] if e.get("reproducible", True)]
        return manifest

    assert stable(first) == stable(second)
    assert list(first) == list(second)
    made_at = {
        e["path"]
        for e in json.loads(first["manifest.json"])["files"]
        if not e.get("reproducible", True)
    }
    assert made_at == {"09-veille/journal-veille.pdf"}  # the only file carrying its time
    for name in set(first) - made_at - {"manifest.json", "manifest.sig"}:
        assert first[name] == second[name], name


def test_satisfaction_below_the_anonymity_threshold_is_not_in_the_pack(demo_session, settings):
    settings.SURVEY_MIN_RESPONSES = 50
    plan = pack_plan(session=demo_session)
    assert not [part for part in plan.parts if part.section == "satisfaction"]
    reasons = [item.reason for item in plan.absent if item.section == "satisfaction"]
    assert any("Moins de 50 réponses, le seuil d'anonymat" in reason for reason in reasons)


def test_verify_pack_needs_no_database_and_openssl_agrees(demo_session, tmp_path):
    pack = tmp_path / "dossier.zip"
    call_command("proof_pack", DEMO_FINISHED_CODE, "--out", str(pack))
    # Another process whose database does not exist: the check still runs.
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "training.settings",
        "DATABASE_URL": "postgres://nobody:nothing@127.0.0.1:9/absent",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "verify_pack", str(pack)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: signature valid" in done.stdout
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(pack) as archive:
        archive.extractall(folder)
    checked = subprocess.run(
        [
            "openssl",
            "pkeyutl",
            "-verify",
            "-pubin",
            "-inkey",
            "cle-publique.pem",
            "-rawin",
            "-in",
            "manifest.json",
            "-sigfile",
            "manifest.sig",
        ],
        cwd=folder,
        capture_output=True,
        text=True,
    )
    assert "Signature Verified Successfully" in checked.stdout, checked.stdout + checked.stderr
