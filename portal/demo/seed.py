"""The seed report of the demo: the news report saved from the programme's website (in
shared/seed/, or the copy bundled in portal/demo_content/), read back into title, date, source,
bylines, editor and paragraphs."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The source publishes in Beijing time; its timestamps carry no zone of their own.
REPORT_TIMEZONE = ZoneInfo("Asia/Shanghai")

SEED_DIR_MISSING = _(
    "找不到种子数据目录 %(path)s。请把 shared/seed/ 放在项目目录旁边，或用 --seed 指定目录。"
)
SEED_DIR_EMPTY = _("种子数据目录 %(path)s 中没有 .txt 报道文件。")
SEED_UNREADABLE = _("无法解析报道 %(file)s：%(problem)s")


class SeedError(Exception):
    """The seed folder or one of its reports cannot be used."""


@dataclass(frozen=True)
class Byline:
    name: str
    role: str


@dataclass(frozen=True)
class Report:
    """A news report as its page printed it, without the page's chrome."""

    slug: str
    title: str
    date: datetime
    source: str
    bylines: tuple[Byline, ...]
    responsible_editor: str
    paragraphs: tuple[str, ...]


META_LINE = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\s+来源\s*[:：]\s*(?P<source>\S+)"
)
BYLINE_LINE = re.compile(r"(?P<role>特约记者|通讯员|记者)\s+(?P<names>\S.*)$")
EDITOR_LINE = re.compile(r"^责编\s*[:：]\s*(?P<name>\S+)$")
# View counters and ranking lists printed around the article, never part of it.
CHROME_LINE = re.compile(r"^(今日浏|频道总排行|频道本月排行|- [\d,]+)")
MAX_BYLINE_LENGTH = 40

BUNDLED_SEED_DIR = Path(__file__).resolve().parent.parent / "demo_content" / "seed"


def default_seed_dir() -> Path:
    """shared/seed/ beside the project directory (how the workspace and CI lay it out); on a
    machine without it, the copy of the report bundled with the portal, so that `make run`
    works from any clone."""
    shared = Path(settings.BASE_DIR).parent / "shared" / "seed"
    return shared if shared.is_dir() else BUNDLED_SEED_DIR


def read_seed_reports(seed_dir: Path) -> list[Report]:
    if not seed_dir.is_dir():
        raise SeedError(SEED_DIR_MISSING % {"path": seed_dir})
    files = sorted(seed_dir.glob("*.txt"))
    if not files:
        raise SeedError(SEED_DIR_EMPTY % {"path": seed_dir})
    return [parse_report(f.read_text(encoding="utf-8"), name=f.name) for f in files]


def parse_report(text: str, *, name: str) -> Report:
    """Read title, date, source, bylines, editor and paragraphs from a saved report page."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise SeedError(SEED_UNREADABLE % {"file": name, "problem": "empty"})
    title = lines[0]
    meta = next((m for m in map(META_LINE.match, lines) if m), None)
    if meta is None:
        raise SeedError(SEED_UNREADABLE % {"file": name, "problem": "no date and source line"})
    paragraphs, bylines, editor = _split_body(lines[1:], title=title)
    if not paragraphs:
        raise SeedError(SEED_UNREADABLE % {"file": name, "problem": "no body text"})
    date = datetime.strptime(meta["date"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=REPORT_TIMEZONE)
    return Report(
        slug=f"{date:%Y%m%d}-{Path(name).stem.split('_')[-1][:8]}".lower(),
        title=title,
        date=date,
        source=meta["source"],
        bylines=bylines,
        responsible_editor=editor,
        paragraphs=tuple(paragraphs),
    )


def _split_body(lines: Sequence[str], *, title: str) -> tuple[list[str], tuple[Byline, ...], str]:
    """Paragraphs up to the first 责编 line; what follows it is the page's ranking lists."""
    paragraphs: list[str] = []
    bylines: tuple[Byline, ...] = ()
    for line in lines:
        if editor := EDITOR_LINE.match(line):
            return paragraphs, bylines, editor["name"]
        if line == title or META_LINE.match(line) or CHROME_LINE.match(line):
            continue
        if not paragraphs and len(line) <= MAX_BYLINE_LENGTH and BYLINE_LINE.search(line):
            bylines = _parse_bylines(line)
            continue
        paragraphs.append(line)
    return paragraphs, bylines, ""


def _parse_bylines(line: str) -> tuple[Byline, ...]:
    match = BYLINE_LINE.search(line)
    return tuple(Byline(name=n, role=match["role"]) for n in match["names"].split())
