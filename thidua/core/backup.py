"""Sao lưu và phục hồi: one archive holding everything an installation needs to come back.

``thidua backup FILE`` writes a gzip-compressed tar, while the product runs:

- ``database/sqlite3.db`` — SQLite's online backup API (a consistent copy, taken page by page
  while others read and write), or ``database/postgresql.dump`` — ``pg_dump``'s custom format,
  one snapshot of the whole database taken without blocking anybody;
- ``media/…`` — every stored file (uploads, signed copies, printed certificates), read through
  the configured storage, so a file system and S3-compatible object storage back up alike;
- ``secret_key`` — signed links (password resets, sessions) outlive a restore only with it;
- ``manifest.json`` — the product and its version, the database engine, every applied migration,
  the rows per table, and the SHA-256 and size of every other member.

The engine's own dump, not a logical export with Django's serializers: it carries the schema, the
data and Django's migration table exactly as they were, so a restore into a newer version simply
runs the newer migrations over it (a logical export would have to be loaded through the *new*
models into the *old* schema); PostgreSQL's snapshot is consistent across every table without
one long Python transaction; and it is as fast as the engine. The cost: ``pg_dump`` and
``pg_restore`` (the ``postgresql-client`` package, of the server's major version or newer)
must be installed, and an archive restores into the engine it came from.

``thidua restore FILE`` refuses before touching anything unless every member is listed in the
manifest with its SHA-256 and size and matches it, the archive comes from this product on the
same engine, its migrations are all known to this version, and the database and the storage are
empty; then it loads the database, the files and the key, and runs ``migrate``.

The archive holds the secret key and personal data: keep it like the database itself
(permissions 0600, encrypted off-site copies).
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from importlib.metadata import version as package_version
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
# Probe files of /healthz live a few milliseconds: never worth keeping.
SKIPPED_PREFIXES = ("healthz/",)


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the administrator."""


# --- reading and writing members ----------------------------------------------------------------

class _Hashing(io.RawIOBase):
    """Reads through ``raw`` while counting and hashing what was read."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def readable(self):
        return True

    def read(self, n=-1):
        data = self.raw.read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _add(tar: tarfile.TarFile, name: str, fileobj, size: int, files: dict) -> None:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    hashing = _Hashing(fileobj)
    tar.addfile(info, hashing)
    if hashing.size != size:
        raise BackupError(f"Tệp {name} thay đổi kích thước trong lúc sao lưu; hãy sao lưu lại.")
    files[name] = {"sha256": hashing.sha256.hexdigest(), "size": size}


def _add_bytes(tar, name, data: bytes, files) -> None:
    _add(tar, name, io.BytesIO(data), len(data), files)


def _add_path(tar, name, path: Path, files) -> None:
    with open(path, "rb") as f:
        _add(tar, name, f, path.stat().st_size, files)


def sha256_of(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- what is backed up -----------------------------------------------------------------------------

def engine() -> str:
    return connection.vendor  # "sqlite" or "postgresql"


def applied_migrations() -> dict[str, list[str]]:
    applied = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            # Table names come from the database itself, quoted by the engine's own rule.
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def stored_files(storage=default_storage, folder: str = "") -> list[str]:
    """Every file name in the storage, sorted; an absent media folder is an empty storage."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += stored_files(storage, f"{folder}{sub}/")
    return sorted(n for n in names if not n.startswith(SKIPPED_PREFIXES))


def _pg_env_and_args() -> tuple[dict, list[str]]:
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or os.environ.get("PGPASSWORD", "")}
    # Our statement and lock timeouts are for requests, not for a whole-database dump.
    env.pop("PGOPTIONS", None)
    args = [f"--dbname={db['NAME']}"]
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    return env, args


def _run(command: list[str], env=None) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise BackupError(f"Không tìm thấy lệnh {command[0]}: hãy cài gói postgresql-client "
                          "cùng phiên bản với máy chủ PostgreSQL.") from exc
    if result.returncode:
        raise BackupError(f"{command[0]} báo lỗi: {result.stderr.strip()[:2000]}")


def _dump_database(folder: Path) -> tuple[str, Path]:
    if engine() == "sqlite":
        target = folder / "sqlite3.db"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)
        finally:
            copy.close()
        return "database/sqlite3.db", target
    if engine() == "postgresql":
        target = folder / "postgresql.dump"
        env, args = _pg_env_and_args()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
              f"--file={target}", *args], env=env)
        return "database/postgresql.dump", target
    raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {engine()}.")


def create_backup(path) -> dict:
    """Write the archive at ``path`` (replaced only once complete); returns its manifest."""
    path = Path(path)
    files: dict[str, dict] = {}
    manifest = {
        "format": FORMAT, "product": "thidua", "version": package_version("thidua"),
        "created_at": timezone.now().isoformat(), "engine": engine(),
        "migrations": applied_migrations(), "rows": row_counts(), "files": files,
    }
    partial = path.with_name(path.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="thidua-backup-") as work:
        # The database first: files stored after its snapshot are at worst unreferenced extras;
        # a file deleted in between would be missing, hence backups at a quiet hour.
        db_member, db_file = _dump_database(Path(work))
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz",
                                                      compresslevel=6) as tar:
            _add_path(tar, db_member, db_file, files)
            _add_bytes(tar, "secret_key", settings.SECRET_KEY.encode(), files)
            for name in stored_files():
                with default_storage.open(name, "rb") as stored:
                    _add(tar, f"media/{name}", stored, default_storage.size(name), files)
            _add_bytes(tar, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1,
                                                 sort_keys=True).encode(), {})
    partial.replace(path)
    manifest["archive_sha256"] = sha256_of(path)
    return manifest


# --- restoring -----------------------------------------------------------------------------------

def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(tar.extractfile(MANIFEST))
    except (KeyError, ValueError, TypeError) as exc:
        raise BackupError("Tệp này không phải bản sao lưu của thidua (thiếu manifest.json).") from exc
    if manifest.get("product") != "thidua" or manifest.get("format") != FORMAT:
        raise BackupError("Tệp này không phải bản sao lưu của thidua, hoặc được tạo bởi một "
                          "phiên bản định dạng khác.")
    return manifest


def verify(path) -> dict:
    """Check every member against the manifest; returns the manifest, raises on any mismatch."""
    try:
        tar = tarfile.open(path, mode="r:gz")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Không đọc được tệp sao lưu: {exc}") from exc
    with tar:
        manifest = read_manifest(tar)
        expected = manifest["files"]
        seen = set()
        try:
            for member in tar:
                if member.name == MANIFEST:
                    continue
                entry = expected.get(member.name)
                if entry is None or not member.isfile():
                    raise BackupError(f"Bản sao lưu đã bị thay đổi: “{member.name}” không có "
                                      "trong danh mục (manifest).")
                digest = hashlib.sha256()
                size = 0
                source = tar.extractfile(member)
                while chunk := source.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                if digest.hexdigest() != entry["sha256"] or size != entry["size"]:
                    raise BackupError(f"Bản sao lưu đã bị thay đổi hoặc hỏng: “{member.name}” "
                                      "không khớp mã SHA-256 trong danh mục.")
                seen.add(member.name)
        except (OSError, EOFError, tarfile.TarError) as exc:
            raise BackupError(f"Tệp sao lưu bị hỏng: {exc}") from exc
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupError(f"Bản sao lưu thiếu {len(missing)} tệp, ví dụ “{missing[0]}”.")
    return manifest


def _check_target(manifest: dict) -> None:
    if manifest["engine"] != engine():
        raise BackupError(f"Bản sao lưu này của cơ sở dữ liệu {manifest['engine']}, còn cài đặt "
                          f"này dùng {engine()}: hãy phục hồi vào cùng loại cơ sở dữ liệu.")
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted((app, name) for app, names in manifest["migrations"].items()
                     for name in names if (app, name) not in known)
    if unknown:
        raise BackupError(f"Bản sao lưu được tạo bởi phiên bản mới hơn ({manifest['version']}): "
                          f"phiên bản này không biết bước chuyển đổi {unknown[0][0]}.{unknown[0][1]}. "
                          "Hãy cài phiên bản mới hơn rồi phục hồi.")
    if connection.introspection.table_names():
        raise BackupError("Cơ sở dữ liệu đích đã có bảng: chỉ phục hồi vào một cơ sở dữ liệu "
                          "trống (tạo mới, chưa chạy migrate).")
    if stored_files():
        raise BackupError("Kho tệp đích đã có tệp: chỉ phục hồi vào một kho tệp trống.")


def _restore_database(member: str, source: Path) -> None:
    if member == "database/sqlite3.db":
        connection.close()
        origin = sqlite3.connect(source)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            origin.backup(target)
        finally:
            origin.close()
            target.close()
        return
    env, args = _pg_env_and_args()
    _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
          *args, str(source)], env=env)


def secret_key_file() -> Path:
    return Path(settings.VAR_DIR) / "secret_key"


def restore_backup(path, *, expected_sha256: str = "", stdout=None) -> dict:
    """Bring the archive back into this (empty) installation; returns its manifest."""
    if expected_sha256 and sha256_of(path) != expected_sha256.lower():
        raise BackupError("Mã SHA-256 của tệp sao lưu không đúng mã đã ghi lại khi sao lưu.")
    manifest = verify(path)
    _check_target(manifest)
    db_member = {"sqlite": "database/sqlite3.db",
                 "postgresql": "database/postgresql.dump"}.get(manifest["engine"])
    if db_member not in manifest["files"] or "secret_key" not in manifest["files"]:
        raise BackupError("Bản sao lưu thiếu cơ sở dữ liệu hoặc khóa bí mật.")
    key = ""
    with tempfile.TemporaryDirectory(prefix="thidua-restore-") as work, \
            tarfile.open(path, mode="r:gz") as tar:
        db_file = Path(work) / "database"
        with tar.extractfile(db_member) as source, open(db_file, "wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        _restore_database(db_member, db_file)
        for member in tar:
            if member.name.startswith("media/"):
                name = member.name.removeprefix("media/")
                saved = default_storage.save(name, File(tar.extractfile(member), name=name))
                if saved != name:
                    raise BackupError(f"Kho tệp đổi tên “{name}” thành “{saved}”.")
            elif member.name == "secret_key":
                key = tar.extractfile(member).read().decode()
    if os.environ.get("THIDUA_SECRET_KEY"):
        if os.environ["THIDUA_SECRET_KEY"] != key and stdout:
            stdout.write("Lưu ý: THIDUA_SECRET_KEY khác khóa trong bản sao lưu; hãy đặt lại biến "
                         "này bằng khóa cũ (tệp secret_key trong bản sao lưu) nếu muốn giữ các "
                         "liên kết đã gửi.")
    else:
        key_file = secret_key_file()
        key_file.write_text(key)
        key_file.chmod(0o600)
    # A newer version brings its own migrations on top of the archive's.
    call_command("migrate", interactive=False, verbosity=0)
    return manifest
