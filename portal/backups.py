"""`manage.py backup` and `manage.py restore` (docs/deployment.md, "Backup and restore"): the
database and the media in one .tar.gz with a manifest.

The archive holds `manifest.json` (format, engine, Django and Wagtail versions, commit, time,
counts), the database in its engine's own faithful form (SQLite: a copy made with SQLite's
backup API, `database.sqlite3`; PostgreSQL: `pg_dump --format=custom`, `database.dump`), and
`media/` (the media directory). With media on an object store, the store keeps the media (its
own versioning and replication) and the archive holds the database only (`"media": "object
store"` in the manifest).

A restore reads and checks the whole archive into a temporary directory first (manifest,
format, engine, the database file's integrity) and only then replaces the database and the
media directory: a bad archive changes nothing."""

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connections
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.dump"
MEDIA_DIR = "media"
# What the manifest counts (and a restore reports): the rows a person would miss first.
COUNTED = {
    "pages": "wagtailcore.Page",
    "images": "wagtailimages.Image",
    "documents": "wagtaildocs.Document",
    "members": "volunteering.Member",
    "reports": "volunteering.Report",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is translated, for the operator."""


@dataclass
class Verified:
    """An archive unpacked and checked, ready to be put in place."""

    manifest: dict
    directory: Path


def engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("不支持的数据库：%(vendor)s。") % {"vendor": vendor})
    return vendor


def media_on_object_store() -> bool:
    return not settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")


def counts(alias: str = "default") -> dict[str, int]:
    found = {"users": get_user_model().objects.using(alias).count()}
    for name, label in COUNTED.items():
        found[name] = apps.get_model(label).objects.using(alias).count()
    return found


def _commit() -> str:
    if os.environ.get("PORTAL_COMMIT"):
        return os.environ["PORTAL_COMMIT"]
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _postgres_env_and_args(alias: str) -> tuple[dict, list[str]]:
    """The client tools' connection: libpq's environment, never the password on a command
    line (where `ps` shows it)."""
    db = connections[alias].settings_dict
    env = {**os.environ}
    pairs = {
        "PGHOST": db.get("HOST"),
        "PGPORT": db.get("PORT"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
    }
    env.update({key: str(value) for key, value in pairs.items() if value})
    return env, ["--dbname", db["NAME"]]


def _run_tool(command: list[str], env: dict) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(
            _("找不到 %(tool)s：请安装与数据库服务器同一主版本或更新的 PostgreSQL 客户端。")
            % {"tool": command[0]}
        ) from error
    if result.returncode != 0:
        raise BackupError(
            _("%(tool)s 失败：%(error)s") % {"tool": command[0], "error": result.stderr.strip()}
        )


def _dump_database(alias: str, vendor: str, directory: Path) -> str:
    if vendor == "sqlite":
        connection = connections[alias]
        connection.ensure_connection()
        target = sqlite3.connect(directory / SQLITE_FILE)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        return SQLITE_FILE
    env, args = _postgres_env_and_args(alias)
    _run_tool(
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(directory / POSTGRES_FILE)]
        + args,
        env,
    )
    return POSTGRES_FILE


def create_backup(destination: Path, alias: str = "default") -> dict:
    """Write the archive to `destination` (a .tar.gz); return its manifest."""
    vendor = engine(alias)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="portal-backup-") as work:
        work = Path(work)
        database_file = _dump_database(alias, vendor, work)
        media_files = []
        if not media_on_object_store() and media_root.is_dir():
            media_files = sorted(
                p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink()
            )
        manifest = {
            "format": FORMAT,
            "engine": vendor,
            "django": version("django"),
            "wagtail": version("wagtail"),
            "commit": _commit(),
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": database_file,
            "media": "object store" if media_on_object_store() else MEDIA_DIR,
            "counts": {**counts(alias), "media_files": len(media_files)},
        }
        destination.parent.mkdir(parents=True, exist_ok=True)
        partial = destination.with_name(destination.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime = len(data), int(datetime.now(UTC).timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(work / database_file, arcname=database_file)
            for path in media_files:
                archive.add(path, arcname=f"{MEDIA_DIR}/{path.relative_to(media_root)}")
        partial.replace(destination)  # a finished archive, or none
    return manifest


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.load(archive.extractfile(member))
    except (KeyError, ValueError, AttributeError) as error:
        raise BackupError(_("这不是平台的备份文件：缺少可读的 manifest.json。")) from error
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format"), int):
        raise BackupError(_("这不是平台的备份文件：manifest.json 没有格式版本。"))
    return manifest


def verify_archive(source: Path, work: Path, alias: str = "default") -> Verified:
    """Unpack `source` into `work` and check it: nothing is restored from an archive that fails
    any check."""
    vendor = engine(alias)
    try:
        archive = tarfile.open(source, "r:gz")
    except FileNotFoundError as error:
        raise BackupError(_("找不到备份文件：%(path)s") % {"path": source}) from error
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(_("备份文件已损坏或不是 .tar.gz：%(path)s") % {"path": source}) from error
    with archive:
        manifest = _read_manifest(archive)
        if manifest["format"] > FORMAT:
            raise BackupError(
                _(
                    "备份文件的格式（%(found)s）比本版本能读的（%(known)s）新：请用更新的平台版本恢复。"
                )
                % {"found": manifest["format"], "known": FORMAT}
            )
        if manifest.get("engine") != vendor:
            raise BackupError(
                _("备份来自 %(found)s 数据库，不能恢复到 %(current)s 数据库。")
                % {"found": manifest.get("engine"), "current": vendor}
            )
        try:
            # The "data" filter refuses absolute paths, "..", links out of the directory and
            # device files: an archive cannot write outside `work`.
            archive.extractall(work, filter="data")
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(
                _("备份文件已损坏或不是 .tar.gz：%(path)s") % {"path": source}
            ) from error
    expected = SQLITE_FILE if vendor == "sqlite" else POSTGRES_FILE
    database = work / expected
    if manifest.get("database") != expected or not database.is_file():
        raise BackupError(_("备份文件里缺少数据库文件 %(name)s。") % {"name": expected})
    if vendor == "sqlite":
        try:
            check = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
            try:
                ok = check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            finally:
                check.close()
        except sqlite3.DatabaseError:
            ok = False
        if not ok:
            raise BackupError(_("备份里的数据库文件已损坏。"))
    else:
        env, _args = _postgres_env_and_args(alias)
        _run_tool(["pg_restore", "--list", str(database)], env)
    return Verified(manifest=manifest, directory=work)


def _restore_database(verified: Verified, alias: str) -> None:
    connection = connections[alias]
    if verified.manifest["engine"] == "sqlite":
        connection.ensure_connection()
        source = sqlite3.connect(verified.directory / SQLITE_FILE)
        try:
            # One write transaction on the live database: readers see the old or the new.
            source.backup(connection.connection)
        finally:
            source.close()
        return
    # pg_restore in one transaction: on any error nothing is changed. Django's own connection
    # is closed first so that it holds no lock on the tables being replaced.
    connection.close()
    env, args = _postgres_env_and_args(alias)
    _run_tool(
        ["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction"]
        + args
        + [str(verified.directory / POSTGRES_FILE)],
        env,
    )


def _restore_media(verified: Verified) -> bool:
    """Swap the archive's media directory into MEDIA_ROOT (renames on one filesystem)."""
    if verified.manifest.get("media") != MEDIA_DIR or media_on_object_store():
        return False
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    incoming = Path(tempfile.mkdtemp(prefix=".media-restore-", dir=media_root.parent))
    unpacked = verified.directory / MEDIA_DIR
    if unpacked.is_dir():
        shutil.copytree(unpacked, incoming, dirs_exist_ok=True)
    previous = media_root.with_name(media_root.name + ".before-restore")
    shutil.rmtree(previous, ignore_errors=True)
    if media_root.exists():
        media_root.rename(previous)
    incoming.rename(media_root)
    shutil.rmtree(previous, ignore_errors=True)
    return True


def restore_backup(source: Path, alias: str = "default") -> dict:
    """Check the whole archive, then put its database and media in place; return the counts
    the restored database has."""
    with tempfile.TemporaryDirectory(prefix="portal-restore-") as work:
        verified = verify_archive(source, Path(work), alias)
        _restore_database(verified, alias)
        media = _restore_media(verified)
    return {"manifest": verified.manifest, "counts": counts(alias), "media_restored": media}
