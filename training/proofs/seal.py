"""The seal of a proof pack: the organisation's Ed25519 key, the signed manifest, the ZIP
written the same way every time, and the offline check.

Nothing here touches the database: ``verify_pack`` runs on a machine that has only the ZIP
(and this module with ``cryptography``). The key lives in a file outside the database
(``settings.PROOF_SIGNING_KEY_FILE``), created on first use, readable by its owner only.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import os
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"  # the raw 64-byte Ed25519 signature of manifest.json
PUBLIC_KEY = "cle-publique.pem"
OUTSIDE_MANIFEST = (MANIFEST, SIGNATURE)
FORMAT = "dossier-de-preuves/1"
# Every entry of the ZIP carries this date: the archive's bytes depend on its contents only.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


# --- The key -------------------------------------------------------------------------------


class KeyUnavailable(RuntimeError):
    """The key file cannot be read or created (the message says which file and why)."""


def key_path() -> Path:
    from django.conf import settings

    return Path(settings.PROOF_SIGNING_KEY_FILE)


def signing_key_get(path: Path | None = None) -> Ed25519PrivateKey:
    """Return the organisation's signing key, creating it (0600) on first use.

    Two processes creating it at once agree: each writes a private temporary file and links
    it to the final name; the one that loses reads the winner's key.
    """
    path = Path(path or key_path())
    try:
        return _key_read(path)
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(pem)
                handle.flush()
                os.fsync(handle.fileno())
            with contextlib.suppress(FileExistsError):  # another process made it first
                os.link(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        return _key_read(path)
    except OSError as exc:
        raise KeyUnavailable(f"{path}: {exc.strerror or exc}") from exc


def _key_read(path: Path) -> Ed25519PrivateKey:
    data = path.read_bytes()
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except ValueError as exc:
        raise KeyUnavailable(f"{path}: not a PEM private key ({exc})") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyUnavailable(f"{path}: not an Ed25519 key")
    return key


def signing_key_facts() -> dict:
    """What pages show of the key: its fingerprint and public half (created on first use)."""
    try:
        public_key = signing_key_get().public_key()
    except KeyUnavailable:
        return {"available": False}
    return {
        "available": True,
        "fingerprint": key_fingerprint(public_key),
        "pem": public_pem(public_key).decode(),
    }


def public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def key_fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw 32-byte public key, in 16 groups of 4 hexadecimal digits."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    digest = hashlib.sha256(raw).hexdigest().upper()
    return " ".join(digest[i : i + 4] for i in range(0, 64, 4))


# --- Manifest and ZIP ----------------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_bytes(manifest: dict) -> bytes:
    """The manifest as it is signed: sorted keys, two-space indent, UTF-8, final newline."""
    return (json.dumps(manifest, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.create_system = 3
    info.external_attr = 0o644 << 16
    # PDFs are compressed already; text files shrink.
    info.compress_type = zipfile.ZIP_STORED if name.endswith(".pdf") else zipfile.ZIP_DEFLATED
    return info


def zip_write(handle, entries: list[tuple[str, bytes]]) -> None:
    """Write ``entries`` (name, bytes) in this order, with fixed dates and permissions."""
    with zipfile.ZipFile(handle, "w") as archive:
        for name, data in entries:
            archive.writestr(_zip_info(name), data, compresslevel=6)


def manifest_sign(key: Ed25519PrivateKey, manifest: dict) -> tuple[bytes, bytes]:
    """Return (manifest.json bytes, their signature)."""
    data = manifest_bytes(manifest)
    return data, key.sign(data)


# --- Checking a pack, offline ----------------------------------------------------------------


@dataclass
class Verification:
    """What ``pack_verify`` found. ``ok`` only when nothing at all is wrong."""

    files_checked: int = 0
    key_fingerprint: str = ""
    signature_ok: bool = False
    added: list[str] = field(default_factory=list)  # in the ZIP, not in the manifest
    removed: list[str] = field(default_factory=list)  # in the manifest, not in the ZIP
    changed: list[str] = field(default_factory=list)  # fingerprint differs
    problems: list[str] = field(default_factory=list)  # anything else (unreadable, key…)
    session: str = ""

    @property
    def ok(self) -> bool:
        return self.signature_ok and not (
            self.added or self.removed or self.changed or self.problems
        )


def pack_verify(source, *, expected_fingerprint: str = "") -> Verification:
    """Check a pack: the manifest's signature, then every file against its fingerprint.

    ``source`` is a path or a binary file. ``expected_fingerprint`` (the one published on the
    organisation's legal notice) is compared with the key that signed, when given.
    """
    result = Verification()
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        result.problems.append(f"not a readable ZIP file ({exc})")
        return result
    with archive:
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        for name in duplicates:
            result.problems.append(f"{name}: appears more than once in the ZIP")
        if MANIFEST not in names:
            result.problems.append(f"{MANIFEST}: missing, nothing can be checked")
            result.added = sorted(set(names) - set(OUTSIDE_MANIFEST))
            return result
        manifest_data = archive.read(MANIFEST)
        try:
            manifest = json.loads(manifest_data)
            listed = {entry["path"]: entry for entry in manifest["files"]}
        except (ValueError, KeyError, TypeError) as exc:
            result.problems.append(f"{MANIFEST}: unreadable ({exc})")
            return result
        result.session = str((manifest.get("session") or {}).get("code", ""))
        _signature_check(archive, names, manifest, manifest_data, result, expected_fingerprint)
        present = set(names) - set(OUTSIDE_MANIFEST)
        result.added = sorted(present - set(listed))
        result.removed = sorted(set(listed) - present)
        for name in sorted(present & set(listed)):
            data = archive.read(name)
            result.files_checked += 1
            entry = listed[name]
            if sha256(data) != entry.get("sha256") or len(data) != entry.get("size"):
                result.changed.append(name)
    return result


def _signature_check(archive, names, manifest, manifest_data, result, expected) -> None:
    if SIGNATURE not in names:
        result.problems.append(f"{SIGNATURE}: missing, the manifest is not signed")
        return
    if PUBLIC_KEY not in names:
        result.problems.append(f"{PUBLIC_KEY}: missing, the signature cannot be checked")
        return
    try:
        public_key = serialization.load_pem_public_key(archive.read(PUBLIC_KEY))
    except ValueError as exc:
        result.problems.append(f"{PUBLIC_KEY}: unreadable ({exc})")
        return
    if not isinstance(public_key, Ed25519PublicKey):
        result.problems.append(f"{PUBLIC_KEY}: not an Ed25519 key")
        return
    result.key_fingerprint = key_fingerprint(public_key)
    try:
        public_key.verify(archive.read(SIGNATURE), manifest_data)
    except InvalidSignature:
        result.problems.append(f"{SIGNATURE}: bad signature, {MANIFEST} was not signed by this key")
        return
    result.signature_ok = True
    if manifest.get("key_fingerprint") != result.key_fingerprint:
        result.problems.append(
            f"{PUBLIC_KEY}: its fingerprint is not the one the signed manifest names"
        )
    wanted = _fingerprint_normalise(expected)
    if wanted and wanted != _fingerprint_normalise(result.key_fingerprint):
        result.problems.append(
            f"{PUBLIC_KEY}: signed by key {result.key_fingerprint}, not by the expected key"
        )


def _fingerprint_normalise(value: str) -> str:
    return "".join(value.split()).upper()


def signature_b64(signature: bytes) -> str:
    return base64.b64encode(signature).decode()


def zip_bytes(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    zip_write(buffer, entries)
    return buffer.getvalue()
