"""Reading an import file of members (XLSX or CSV) into plain rows, and the template file
with the columns it expects. What the rows mean is checked in `volunteering.people.imports`."""

import csv
import io
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from volunteering import errors

MAX_ROWS = 5000


MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazily translated heading
    required: bool = False
    help: Any = ""
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column(
        "username",
        _("用户名"),
        True,
        _("登录账号，每人唯一；再次导入时按用户名更新。"),
        ("用户名", "账号", "username"),
    ),
    Column("real_name", _("姓名"), True, _("1 到 100 个字符，任何文字均可。"), ("姓名", "name")),
    Column("phone", _("手机号"), False, _("选填。"), ("手机号", "手机", "电话", "phone")),
    Column("email", _("邮箱"), False, _("选填。"), ("邮箱", "电子邮箱", "email")),
    Column(
        "residence_community",
        _("居住地社区"),
        False,
        _("选填。社区名称；重名时写成“县（市、区）名/社区名”。"),
        ("居住地社区", "residence community", "home community"),
    ),
    Column(
        "skills",
        _("技能特长"),
        False,
        _("选填。技能列表中的名称，多个用顿号或逗号分隔。"),
        ("技能特长", "特长", "skills"),
    ),
    Column(
        "other_skills",
        _("其他特长"),
        False,
        _("选填。不在技能列表中的特长，200 字以内。"),
        ("其他特长", "other skills"),
    ),
)


COLUMN_KEYS = tuple(c.key for c in COLUMNS)


def cell_text(value) -> str:
    """A cell as the text a person typed: 13800000000 rather than 13800000000.0."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def member_rows_read(*, file: IO[bytes], filename: str) -> list[dict[str, str]]:
    """The data rows of an uploaded XLSX or CSV file, as {column key: text} with "line" too.
    Raises ServiceError for a file that cannot be read or lacks a required column."""
    data = file.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise errors.ServiceError(errors.IMPORT_FILE_TOO_LARGE, code="invalid")
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        table = _xlsx_table(data)
    elif name.endswith(".csv"):
        table = _csv_table(data)
    else:
        raise errors.ServiceError(errors.IMPORT_FILE_UNREADABLE, code="invalid")
    return _rows_from_table(table)


def _xlsx_table(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        table = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except Exception as exc:  # openpyxl raises many kinds of errors for a damaged file
        raise errors.ServiceError(errors.IMPORT_FILE_UNREADABLE, code="invalid") from exc
    return table


def _csv_table(data: bytes) -> list[list[str]]:
    # Excel in Chinese saves CSV in GB18030 (GBK); everything else in UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise errors.ServiceError(errors.IMPORT_FILE_UNREADABLE, code="invalid")
    try:
        return [[cell_text(v) for v in row] for row in csv.reader(io.StringIO(text))]
    except csv.Error as exc:
        raise errors.ServiceError(errors.IMPORT_FILE_UNREADABLE, code="invalid") from exc


def _heading_key(text: str) -> str | None:
    wanted = text.strip().lower()
    for column in COLUMNS:
        names = {str(column.label).lower(), column.key, *(a.lower() for a in column.aliases)}
        if wanted in names:
            return column.key
    return None


def _rows_from_table(table: list[list[str]]) -> list[dict[str, str]]:
    lines = [(number, row) for number, row in enumerate(table, start=1) if any(row)]
    if not lines:
        raise errors.ServiceError(errors.IMPORT_NO_ROWS, code="invalid")
    _heading_line, heading = lines[0]
    keys = [_heading_key(text) for text in heading]
    missing = [str(c.label) for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        raise errors.ServiceError(
            errors.IMPORT_MISSING_COLUMNS % {"columns": "、".join(missing)}, code="invalid"
        )
    rows = []
    for number, row in lines[1:]:
        values = {key: "" for key in COLUMN_KEYS}
        for key, text in zip(keys, row, strict=False):
            if key:
                values[key] = text
        rows.append({"line": str(number), **values})
    if not rows:
        raise errors.ServiceError(errors.IMPORT_NO_ROWS, code="invalid")
    if len(rows) > MAX_ROWS:
        raise errors.ServiceError(errors.IMPORT_TOO_MANY_ROWS % {"max": MAX_ROWS}, code="invalid")
    return rows


def member_import_template() -> bytes:
    """An XLSX file with the columns to fill in, and a second sheet explaining them."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("党员名单"))
    sheet.append([str(c.label) for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFG", (16, 12, 16, 24, 20, 24, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    notes = workbook.create_sheet(str(_("填写说明")))
    notes.append([str(_("列")), str(_("必填")), str(_("说明"))])
    for column in COLUMNS:
        required = str(_("是")) if column.required else str(_("否"))
        notes.append([str(column.label), required, str(column.help)])
    notes.append([])
    notes.append([str(_("第一张表的第一行是列名，请勿修改；从第二行起每行一名党员。"))])
    notes.append([str(_("选填列留空时，不会覆盖已登记的信息。"))])
    notes.column_dimensions["A"].width = 16
    notes.column_dimensions["C"].width = 60
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
