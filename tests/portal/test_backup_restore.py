"""`manage.py backup` / `manage.py restore` (portal.backups, docs/deployment.md): a round trip
brings pages, a member with a report and an uploaded image (row and file) back after they were
changed or deleted, on the engine the suite runs on (SQLite by default, PostgreSQL in CI's
PostgreSQL run); bad archives and a missing --yes give a clear error and change nothing."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Page

from portal import backups
from tests import factories
from volunteering.people.models import Member
from volunteering.reporting.models import Report

# transactional_db: pg_dump and pg_restore see only committed rows, and SQLite's backup API
# copies the database as committed. serialized_rollback: the rows the data migrations made (the
# page tree's root) are put back after each test's flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _png() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (8, 6), (200, 20, 20)).save(out, "PNG")
    return out.getvalue()


def _world():
    tree = factories.build_site_tree()
    report = factories.ReportFactory(community=tree.community, member__real_name="张备份")
    image = get_image_model().objects.create(
        title="社区合影", file=ImageFile(io.BytesIO(_png()), name="together.png")
    )
    return tree, report, image


def test_backup_then_restore_brings_data_and_media_back(media, tmp_path):
    tree, report, image = _world()
    image_path = Path(image.file.path)
    assert image_path.is_file() and image_path.is_relative_to(media)
    pages_before = Page.objects.count()
    archive = tmp_path / "backups" / "portal.tar.gz"

    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert archive.is_file() and "已备份到" in out.getvalue()
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["format"] == backups.FORMAT
    assert manifest["engine"] == connection.vendor
    assert manifest["django"].startswith("5.2") and manifest["wagtail"]
    assert manifest["created"] and "commit" in manifest
    assert manifest["counts"]["pages"] == pages_before
    assert manifest["counts"]["members"] == 1 and manifest["counts"]["reports"] == 1
    assert manifest["counts"]["images"] == 1 and manifest["counts"]["media_files"] == 1
    assert f"media/{image_path.relative_to(media)}" in names
    assert manifest["database"] in names

    # Everything changes after the backup: a page renamed, the member and the image deleted
    # (the file too), a new member added.
    tree.community.title = "改过的名字"
    tree.community.save()
    Report.objects.all().delete()
    Member.objects.all().delete()
    image.delete()  # Wagtail deletes the file too
    image_path.unlink(missing_ok=True)
    assert not image_path.exists()
    factories.MemberFactory(real_name="备份后才加入")

    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "已从" in out.getvalue()
    connection.close()  # a fresh connection: nothing cached from before the restore
    assert Page.objects.get(pk=tree.community.pk).title == "麒麟社区"
    assert list(Member.objects.values_list("real_name", flat=True)) == ["张备份"]
    assert Report.objects.get().member.real_name == "张备份"
    restored = get_image_model().objects.get()
    assert restored.title == "社区合影"
    assert Path(restored.file.path).read_bytes() == _png()
    assert Page.objects.count() == pages_before
    # A rendition can be made from the restored file.
    assert restored.get_rendition("fill-4x4").width == 4


def test_restore_refuses_without_yes(media, tmp_path, monkeypatch):
    _world()
    archive = tmp_path / "b.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    Member.objects.all().delete()
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: nobody to ask
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    assert Member.objects.count() == 0  # nothing restored


def _archive_with(tmp_path: Path, manifest: dict | None, files: dict[str, bytes]) -> Path:
    path = tmp_path / "crafted.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        entries = dict(files)
        if manifest is not None:
            entries["manifest.json"] = json.dumps(manifest).encode()
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    "case, message",
    [
        ("missing", "找不到备份文件"),
        ("not-gzip", "备份文件已损坏或不是 .tar.gz"),
        ("no-manifest", "缺少可读的 manifest.json"),
        ("newer-format", "比本版本能读的（1）新"),
        ("other-engine", "不能恢复到"),
        ("no-database", "缺少数据库文件"),
        ("corrupt-database", None),
        ("escaping-path", "备份文件已损坏"),
    ],
)
def test_bad_archives_are_refused_with_a_clear_error_and_change_nothing(
    media, tmp_path, case, message
):
    factories.MemberFactory(real_name="还在")
    vendor = connection.vendor
    database = backups.SQLITE_FILE if vendor == "sqlite" else backups.POSTGRES_FILE
    good = {"format": 1, "engine": vendor, "database": database, "media": "media"}
    other = "postgresql" if vendor == "sqlite" else "sqlite"
    path = {
        "missing": lambda: tmp_path / "nowhere.tar.gz",
        "not-gzip": lambda: _write(tmp_path / "x.tar.gz", b"plain text, not an archive"),
        "no-manifest": lambda: _archive_with(tmp_path, None, {database: b"x"}),
        "newer-format": lambda: _archive_with(tmp_path, {**good, "format": 2}, {}),
        "other-engine": lambda: _archive_with(tmp_path, {**good, "engine": other}, {}),
        "no-database": lambda: _archive_with(tmp_path, good, {}),
        "corrupt-database": lambda: _archive_with(tmp_path, good, {database: b"garbage" * 99}),
        "escaping-path": lambda: _archive_with(
            tmp_path, good, {database: b"x", "../../outside.txt": b"x"}
        ),
    }[case]()
    with pytest.raises(CommandError) as raised:
        call_command("restore", str(path), "--yes", stdout=io.StringIO())
    if message:
        assert message in str(raised.value)
    # Not a traceback's text: the operator's sentence.
    assert "Traceback" not in str(raised.value)
    assert not (tmp_path.parent / "outside.txt").exists()
    assert list(Member.objects.values_list("real_name", flat=True)) == ["还在"]


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
