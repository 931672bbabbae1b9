"""The uploads of the corpus test through Wagtail's admin (tests/portal/test_wagtail_admin_fuzz.py,
whose docstring says what it does): files with hostile names and contents, posted as a browser
posts them, through the image and document forms and the redirects' import; what a refused or a
stored upload must leave behind."""

import io
import struct
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from bs4 import BeautifulSoup
from django.test import Client
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import UploadedFile

from portal.input_guard import has_forbidden
from tests.portal.admin_fuzz import CORPUS, _fields, problems_of
from tests.portal.wagtail_admin_fuzz import page_html, refused, said_stored


def png(width: int = 1, height: int = 1, *, truncated: bool = False) -> bytes:
    """A PNG of the given size, its pixels all zero; `truncated` cuts it inside its data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"\x00" * (width + 1) * min(height, 4))
    whole = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
    whole += chunk(b"IEND", b"")
    return whole[: len(whole) // 2] if truncated else whole


# File names a hostile or careless uploader sends (the multipart parser receives them raw).
NAMES = (
    "a\x00b.png",
    "\u202egnp.exe.png",
    "\u200b\u200d\ufeff.png",
    "../../../etc/passwd.png",
    "..\\..\\windows\\win.ini.png",
    ("名" * 350_000) + ".png",
    ".png",
    "",
    "<script>alert(1)</script>.png",
    "'; DROP TABLE wagtailimages_image; --.png",
)


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    kind: str  # what it is, for the message


def image_uploads() -> list[Upload]:
    good = get_test_image_file().file.getvalue()
    found = [Upload(name, good, "a real PNG") for name in NAMES]
    found += [
        Upload("empty.png", b"", "an empty file"),
        Upload("text.png", b"not an image at all\n" * 20, "text named .png"),
        Upload("cut.png", png(16, 16, truncated=True), "a truncated PNG"),
        Upload("bomb.png", png(60_000, 60_000), "a PNG claiming 60,000 x 60,000 pixels"),
        Upload("image.exe", good, "a PNG named .exe"),
    ]
    return found


def document_uploads() -> list[Upload]:
    found = [Upload(name.replace(".png", ".txt"), b"zz\n", "a text file") for name in NAMES]
    found += [
        Upload("empty.txt", b"", "an empty file"),
        Upload("fake.pdf", b"not a PDF\n", "text named .pdf"),
        Upload("cut.png", png(16, 16, truncated=True), "a truncated PNG"),
        Upload("noextension", b"zz", "a name without an extension"),
    ]
    return found


def multipart(fields: list[tuple[str, bytes]], files: list[tuple[str, Upload]]) -> tuple:
    """A multipart body written by hand (the test client would clean the file names), and its
    content type."""
    boundary = b"----corpus-boundary-7d1f"
    body = io.BytesIO()
    for name, value in fields:
        body.write(b"--" + boundary + b"\r\n")
        body.write(b'Content-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n')
        body.write(value + b"\r\n")
    for name, upload in files:
        filename = upload.name.encode("utf-8", "surrogatepass").replace(b'"', b"%22")
        body.write(b"--" + boundary + b"\r\n")
        body.write(
            b'Content-Disposition: form-data; name="'
            + name.encode()
            + b'"; filename="'
            + filename
            + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        body.write(upload.content + b"\r\n")
    body.write(b"--" + boundary + b"--\r\n")
    return body.getvalue(), "multipart/form-data; boundary=" + boundary.decode()


@dataclass(frozen=True)
class UploadForm:
    url: str
    uploads: Callable[[], list[Upload]]
    model: type
    file_field: str  # when the page does not show its form (a role it refuses)


UPLOAD_FORMS = (
    UploadForm("/admin/images/add/", image_uploads, get_image_model(), "file"),
    UploadForm("/admin/images/multiple/add/", image_uploads, get_image_model(), "files[]"),
    UploadForm("/admin/images/chooser/create/", image_uploads, get_image_model(), "file"),
    UploadForm("/admin/documents/add/", document_uploads, get_document_model(), "file"),
    UploadForm("/admin/documents/multiple/add/", document_uploads, get_document_model(), "files[]"),
    UploadForm("/admin/documents/chooser/create/", document_uploads, get_document_model(), "file"),
)
# The form's text fields that get the corpus (the others as the page gave them).
SPOILED_NAMES = ("title", "tags", "description", "alt")


def upload_form(client: Client, form: UploadForm) -> tuple[list[tuple[str, str]], str]:
    """The upload form's fields as its page gives them, and its file field's name."""
    page = client.get(form.url)
    html = page_html(page) if page.status_code == 200 else None
    soup = BeautifulSoup(html or "", "html.parser")
    for element in soup.find_all("form"):
        file_input = element.find("input", attrs={"type": "file"})
        if file_input is not None and file_input.get("name"):
            return [(n, v) for n, v in _fields(soup, element) if v is not None], file_input["name"]
    return [("title", "图片")], form.file_field


def upload_problems(client: Client, who: str, form: UploadForm, seed: int, root: Path):
    """Each of the form's uploads posted once (every other one with corpus titles and tags);
    the problems, and how many were stored."""
    fields, file_field = upload_form(client, form)
    problems, stored = [], 0
    for index, upload in enumerate(form.uploads()):
        body = [
            (name, CORPUS[(seed + index + i) % len(CORPUS)])
            if index % 2 and name.split("-")[-1] in SPOILED_NAMES
            else (name, value.encode())
            for i, (name, value) in enumerate(fields)
        ]
        before = _media_state(form.model, root)
        found, response = post_upload(client, who, form.url, body, [(file_field, upload)])
        where = f"POST {form.url} as {who} ({upload.kind} named {upload.name[:30]!r})"
        problems += [f"{p} ({upload.kind} named {upload.name[:30]!r})" for p in found]
        new = _new_rows(form.model, before)
        stored += len(new)
        problems += _upload_outcome(where, response, before, _media_state(form.model, root), new)
    return problems, stored


def post_upload(client: Client, who: str, url: str, fields, files) -> tuple[list[str], object]:
    body, content_type = multipart(fields, files)
    response = client.generic("POST", url, body, content_type)
    return problems_of("POST", url, who, response), response


@dataclass(frozen=True)
class MediaState:
    rows: int
    last: int
    uploads: int
    files: frozenset


def _media_state(model, root: Path) -> MediaState:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    files = frozenset(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    return MediaState(model.objects.count(), last, UploadedFile.objects.count(), files)


def _new_rows(model, before: MediaState) -> list:
    return list(model.objects.filter(pk__gt=before.last))


def _upload_outcome(where: str, response, before, after, new) -> list[str]:
    wrote = (after.rows, after.uploads, after.files) != (before.rows, before.uploads, before.files)
    if refused(response):
        return [f"{where}: refused ({response.status_code}), yet it wrote"] if wrote else []
    if said_stored(response) and not wrote:
        return [f"{where}: answered as stored, yet nothing was written"]
    problems = []
    for obj in new:
        wrong = unsafe_name(obj.file.name)
        if wrong:
            problems.append(f"{where}: stored as {obj.file.name[:80]!r} ({wrong})")
        if not obj.file.storage.exists(obj.file.name):
            problems.append(f"{where}: row {obj.pk} without its file")
    stray = set(after.files - before.files) - stored_files()
    if stray:
        problems.append(f"{where}: files without a row: {sorted(stray)[:3]}")
    return problems


def stored_files() -> set[str]:
    """The files some row names: images, their renditions, documents, uploads in progress."""
    models = (get_image_model(), get_image_model().get_rendition_model(), get_document_model())
    return {
        name
        for model in (*models, UploadedFile)
        for name in model.objects.values_list("file", flat=True)
    }


def unsafe_name(name: str) -> str | None:
    """What is wrong with a stored file's name, or None."""
    parts = Path(name).parts
    if Path(name).is_absolute() or ".." in parts:
        return "outside the media directory"
    if has_forbidden(name) or any(unicodedata.category(c) in ("Cf", "Cc") for c in name):
        return "a control or formatting character"
    if any(len(part.encode()) > 255 for part in parts):
        return "a part longer than a file system's 255 bytes"
    return None


# --- The redirects' import ----------------------------------------------------------------------

IMPORT_URL = "/admin/redirects/import/"


def redirect_imports() -> list[Upload]:
    rows = [b"from,to"] + [
        b"/zz-" + value[:200].replace(b",", b";").replace(b"\n", b" ") + b",/" for value in CORPUS
    ]
    return [
        Upload("corpus.csv", b"\n".join(rows) + b"\n", "the corpus in a CSV"),
        Upload("control.csv", b"from,to\n/zz\x01\x7f,/\n/zz\x00,/\n", "control characters"),
        Upload("latin1.csv", b"from,to\n/zz\xe9\xed\xa0\x80,/\n", "bytes that are not UTF-8"),
        Upload("empty.csv", b"", "an empty file"),
        Upload("one.csv", b"from\n", "a single column"),
        Upload("image.csv", png(), "a PNG named .csv"),
        Upload("text.xlsx", b"not a workbook\n", "text named .xlsx"),
        Upload(("名" * 350_000) + ".csv", b"from,to\n/zz-long,/\n", "a 1 MB name"),
        Upload("../../etc/x.tsv", b"from\tto\n/zz-tab\t/\n", "a ../ path"),
    ]


def redirect_import_problems(client: Client, who: str) -> list[str]:
    """Each import file posted, and the confirmation form it answers (if any) posted as
    given: no 5xx, and no imported redirect holding a refused character."""
    problems = []
    for upload in redirect_imports():
        fields = [("input_format", b"0")]
        found, response = post_upload(client, who, IMPORT_URL, fields, [("import_file", upload)])
        problems += [f"{p} ({upload.kind})" for p in found]
        html = page_html(response) if response.status_code == 200 else None
        soup = BeautifulSoup(html or "", "html.parser")
        for form in soup.find_all("form", action=lambda a: a and "/import/process/" in a):
            body = urlencode([(n, v.encode()) for n, v in _fields(soup, form) if v is not None])
            url = form["action"]
            answer = client.post(url, body, "application/x-www-form-urlencoded")
            problems += [f"{p} ({upload.kind})" for p in problems_of("POST", url, who, answer)]
    bad = Redirect.objects.filter(old_path__startswith="/zz").values_list("old_path", flat=True)
    problems += [f"redirect imported with {path[:40]!r}" for path in bad if has_forbidden(path)]
    return problems
