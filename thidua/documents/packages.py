"""Packages (hồ sơ gửi cấp trên): a ZIP with a manifest of what each file is and its SHA-256.

This module only packs; each domain app decides what goes into its own packages
(``nominations.packages``, ``decisions.packages``)."""

import hashlib
import io
import json
import zipfile

from django.utils import timezone

from thidua.core.text import fold
from thidua.documents.models import SignedCopy


def safe_name(name: str) -> str:
    """An ASCII file name for the archive (some unzip tools still mangle UTF-8 names)."""
    folded = fold(name).replace(" ", "-")
    return "".join(ch for ch in folded if ch.isalnum() or ch in "-._") or "tep"


class Package:
    def __init__(self, title: str, reference: str):
        self.buffer = io.BytesIO()
        self.archive = zipfile.ZipFile(self.buffer, "w", zipfile.ZIP_DEFLATED)
        self.manifest = {"title": title, "reference": reference,
                         "created_at": timezone.now().isoformat(), "files": []}

    def add(self, path: str, content: bytes, *, kind: str, description: str, **extra):
        if any(f["path"] == path for f in self.manifest["files"]):
            stem, dot, ext = path.rpartition(".")
            path = f"{stem}-{len(self.manifest['files'])}{dot}{ext}"
        self.archive.writestr(path, content)
        self.manifest["files"].append({
            "path": path, "kind": kind, "description": description,
            "sha256": hashlib.sha256(content).hexdigest(), "size": len(content), **extra})

    def close(self) -> bytes:
        self.archive.writestr("manifest.json", json.dumps(self.manifest, ensure_ascii=False,
                                                          indent=2))
        self.archive.close()
        return self.buffer.getvalue()


def add_signed_copy(package: Package, key: str, obj, base: str) -> None:
    """The signed scan, when one is filed: the record the receiver relies on."""
    copy = SignedCopy.current(key, obj)
    if copy is None:
        return
    with copy.file.open("rb") as handle:
        content = handle.read()
    ext = copy.file.name.rsplit(".", 1)[-1]
    package.add(f"{base}-ban-da-ky.{ext}", content, kind=f"{key}_signed",
                description=f"{obj} — bản đã ký", original_name=copy.original_name,
                uploaded_at=copy.uploaded_at.isoformat())
