"""Build a session's proof pack: print its PDFs, make the index, sign the manifest, write the
ZIP. The worker does it (a ``DocumentBundle`` of kind ``preuves``, with the bundles' page and
progress); ``manage.py proof_pack`` calls the same ``pack_build`` directly.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.utils import translation

from training.accounts.models import User
from training.documents import rendering
from training.documents.models import DocumentBundle
from training.documents.services import PROOF_PACK, bundle_request, documents_get
from training.proofs import indicators, seal
from training.proofs.selectors import (
    INDEX_TEMPLATE,
    LANGUAGE,
    SECTION_TITLES,
    SECTIONS,
    PackPlan,
    pack_plan,
)
from training.sessions.models import TrainingSession

README = "LISEZMOI.txt"
INDEX = "index.pdf"
# Bump when the index or the manifest's layout changes (a new pack for the same data).
LAYOUT_VERSION = "1"
# Files the pack adds to the plan's: the readme, the index, the key, the manifest, its signature.
FIXED_FILES = 5


def pack_fingerprint(*, session: TrainingSession) -> tuple[str, int]:
    """The fingerprint of the pack's inputs (no PDF printed) and its number of files."""
    plan = pack_plan(session=session)
    key = seal.key_fingerprint(seal.signing_key_get().public_key())
    return plan.fingerprint(extra=f"{LAYOUT_VERSION}\x00{key}"), len(plan.parts) + FIXED_FILES


def pack_request(*, session: TrainingSession, user: User | None = None):
    """Find the pack of the session's current data, or queue its build (see bundle_request)."""
    return bundle_request(session=session, which=PROOF_PACK, user=user)


def pack_build(
    *,
    session: TrainingSession,
    processes: int = 1,
    progress: Callable[[int], None] | None = None,
) -> list[tuple[str, bytes]]:
    """Return the pack's files, in order: (name inside the ZIP, bytes)."""
    key = seal.signing_key_get()
    public_key = key.public_key()
    plan = pack_plan(session=session)
    wanted = [part.document for part in plan.parts if part.document is not None]
    # Print the documents first: printing one records an audit event, and the audit trail of
    # the pack is read after (the plan is made again, cheaply, with those events).
    documents_get(
        session=session, data=plan.data, wanted=wanted, processes=processes, progress=progress
    )
    plan = pack_plan(session=session)
    documents = iter(
        documents_get(
            session=session, data=plan.data, wanted=[p.document for p in plan.parts if p.document]
        )
    )
    done = len(wanted)
    files: list[tuple[str, bytes]] = []
    entries = []
    for part in plan.parts:
        if part.document is not None:
            data = next(documents).read()
        elif part.data is not None:
            data = part.data
        elif part.html:
            data = rendering.pdf_render(part.html, title=part.title)
        else:
            data = part.make()
        files.append((part.path, data))
        entries.append(
            _entry(
                part.path,
                data,
                part.title,
                part.section,
                part.qualiopi,
                part.funder,
                part.reproducible,
            )
        )
        if part.document is None:
            done += 1
            if progress is not None:
                progress(done)
    fingerprint = seal.key_fingerprint(public_key)
    key_pem = seal.public_pem(public_key)
    readme = _readme(session, fingerprint).encode()
    fixed = [
        _entry(README, readme, "Comment lire et vérifier ce dossier", "dossier"),
        _entry(seal.PUBLIC_KEY, key_pem, "Clé publique de l'organisme (Ed25519)", "dossier"),
    ]
    index = _index_pdf(plan, [*fixed, *entries], fingerprint)
    index_entry = _entry(INDEX, index, "Sommaire : ce que prouve chaque fichier", "dossier")
    manifest = _manifest(plan, [fixed[0], index_entry, fixed[1], *entries], fingerprint)
    manifest_data, signature = seal.manifest_sign(key, manifest)
    if progress is not None:
        progress(done + FIXED_FILES)
    return [
        (README, readme),
        (INDEX, index),
        (seal.MANIFEST, manifest_data),
        (seal.SIGNATURE, signature),
        (seal.PUBLIC_KEY, key_pem),
        *files,
    ]


def pack_write(*, session: TrainingSession, path: Path, processes: int = 1, progress=None) -> int:
    """Write the pack's ZIP to ``path``; return its number of files."""
    files = pack_build(session=session, processes=processes, progress=progress)
    with open(path, "wb") as handle:
        seal.zip_write(handle, files)
    return len(files)


def _entry(path, data, title, section, qualiopi=(), funder=(), reproducible=True) -> dict:
    entry = {
        "path": path,
        "sha256": seal.sha256(data),
        "size": len(data),
        "title": title,
        "section": section,
        "qualiopi": list(qualiopi),
        "funder": list(funder),
    }
    if not reproducible:
        entry["reproducible"] = False
    return entry


def _session_facts(session: TrainingSession, plan: PackPlan) -> dict:
    return {
        "code": session.code,
        "title": session.title,
        "course": session.course.title,
        "first_day": session.start_date.isoformat(),
        "last_day": session.end_date.isoformat(),
        "status": str(session.get_status_display()),
        "trainers": [trainer.get_full_name() for trainer in plan.data.trainers],
        "trainees": len(plan.data.trainees),
    }


def _manifest(plan: PackPlan, entries: list[dict], fingerprint: str) -> dict:
    organisation = plan.data.organisation
    with translation.override(LANGUAGE):
        session = _session_facts(plan.session, plan)
    used = sorted(
        {number for entry in entries for number in entry["qualiopi"]}
        | {number for item in plan.absent for number in item.qualiopi}
    )
    return {
        "format": seal.FORMAT,
        "organisation": {
            "name": organisation.get("name", ""),
            "siret": organisation.get("siret", ""),
            "nda": organisation.get("nda", ""),
        },
        "session": session,
        "key_fingerprint": fingerprint,
        "hash": "SHA-256",
        "signature": f"Ed25519 de {seal.MANIFEST}, dans {seal.SIGNATURE} (64 octets)",
        "qualiopi": {
            str(number): indicators.QUALIOPI[number]
            for number in used
            if number in indicators.QUALIOPI
        },
        "qualiopi_note": (
            "Numéros des indicateurs du référentiel national qualité ; les descriptions sont "
            "courtes et neutres, ce ne sont pas les libellés officiels."
        ),
        "funder": indicators.FUNDER,
        "sections": dict(SECTIONS),
        "files": entries,
        "absent": [
            {
                "section": item.section,
                "title": item.title,
                "reason": item.reason,
                "qualiopi": list(item.qualiopi),
                "funder": list(item.funder),
            }
            for item in plan.absent
        ],
    }


def _grouped(paths: list[str]) -> list[dict]:
    """Paths for the index's tables, a folder of many files of one kind said once:
    « 05-certificats/*.pdf » and its count, instead of one line per trainee."""
    groups: dict[tuple[str, str], list[str]] = {}
    for path in paths:
        folder, _slash, name = path.rpartition("/")
        groups.setdefault((folder, name.rpartition(".")[2]), []).append(path)
    items = []
    for (folder, extension), members in groups.items():
        if folder and len(members) > 3:
            items.append({"pattern": f"{folder}/*.{extension}", "count": len(members)})
        else:
            items.extend({"path": path} for path in members)
    return items


def _index_pdf(plan: PackPlan, entries: list[dict], fingerprint: str) -> bytes:
    sections = []
    for key, title in SECTIONS:
        files = [entry for entry in entries if entry["section"] == key]
        absent = [item for item in plan.absent if item.section == key]
        if files or absent:
            sections.append({"key": key, "title": title, "files": files, "absent": absent})
    by_indicator = []
    for number, description in indicators.QUALIOPI.items():
        paths = [entry["path"] for entry in entries if number in entry["qualiopi"]]
        missing = [item.title for item in plan.absent if number in item.qualiopi]
        by_indicator.append(
            {
                "number": number,
                "description": description,
                "paths": _grouped(paths),
                "missing": missing,
            }
        )
    by_funder = []
    for key, description in indicators.FUNDER.items():
        paths = [entry["path"] for entry in entries if key in entry["funder"]]
        missing = [item.title for item in plan.absent if key in item.funder]
        by_funder.append(
            {"key": key, "description": description, "paths": _grouped(paths), "missing": missing}
        )
    context = {
        **plan.data.base_context(),
        "sections": sections,
        "fixed": [entry for entry in entries if entry["section"] == "dossier"],
        "by_indicator": by_indicator,
        "by_funder": by_funder,
        "fingerprint": fingerprint,
        "facts": plan.facts,
        "trainees": plan.data.trainees,
        "file_count": len(entries) + 3,  # + the index, the manifest and its signature
        "section_titles": SECTION_TITLES,
        "manifest": seal.MANIFEST,
        "signature": seal.SIGNATURE,
        "public_key": seal.PUBLIC_KEY,
    }
    html = rendering.html_render(INDEX_TEMPLATE, context)
    return rendering.pdf_render(html, title=f"Dossier de preuves — {plan.session.code}")


def _readme(session: TrainingSession, fingerprint: str) -> str:
    return f"""Dossier de preuves — session {session.code}
{session.title}

Ce dossier rassemble les preuves de la session : programme, convocations, émargement,
évaluations, certificats, appréciations, réclamations, journal d'audit, veille juridique.

- {INDEX} : le sommaire lisible, ce que prouve chaque fichier (indicateurs Qualiopi,
  réalisation, assiduité, résultats) et les pièces absentes avec leur raison ;
- {seal.MANIFEST} : la même chose pour une machine, avec l'empreinte SHA-256 de chaque
  fichier ;
- {seal.SIGNATURE} : la signature Ed25519 de {seal.MANIFEST} par l'organisme ;
- {seal.PUBLIC_KEY} : la clé publique de l'organisme.

Empreinte de la clé (SHA-256 de la clé publique brute) :
  {fingerprint}
Comparez-la avec celle que publie la page « Mentions légales » du site de l'organisme.

Vérifier avec OpenSSL 3 (sans le logiciel de l'organisme) :
  openssl pkeyutl -verify -pubin -inkey {seal.PUBLIC_KEY} -rawin -in {seal.MANIFEST} -sigfile {seal.SIGNATURE}
puis comparer l'empreinte de chaque fichier (sha256sum FICHIER) avec celle que donne
{seal.MANIFEST}. Tout fichier ajouté, retiré ou modifié se voit ainsi.

Vérifier avec le logiciel de l'organisme (sans base de données) :
  python manage.py verify_pack dossier.zip

Les chaînes de preuves d'émargement (03-emargement/chaines/*.json) se recalculent : chaque
maillon est le SHA-256 du maillon précédent suivi du JSON de l'enregistrement (clés triées,
séparateurs « , » et « : »), en partant du SHA-256 de « slot:<numéro> ». Le dernier maillon
est le sceau enregistré à la clôture de la demi-journée.
"""


def bundle_is_pack(bundle: DocumentBundle) -> bool:
    return bundle.which == PROOF_PACK
