"""The architecture contracts (.importlinter, docs/architecture.md) hold, and bite: each listed
exception is needed, and an import against the direction breaks the build."""

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACT = "importlinter:contract:capabilities"


def _lint(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(config), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _config() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / ".importlinter", encoding="utf-8")
    return parser


def _exceptions() -> list[str]:
    lines = _config()[CONTRACT]["ignore_imports"].splitlines()
    return [line.strip() for line in lines if line.strip()]


def _write(parser: configparser.ConfigParser, path: Path) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        parser.write(handle)
    return path


def test_the_contracts_hold():
    result = _lint(ROOT / ".importlinter")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("exception", _exceptions())
def test_every_exception_is_needed(exception, tmp_path):
    parser = _config()
    kept = [line for line in _exceptions() if line != exception]
    parser[CONTRACT]["ignore_imports"] = "\n" + "\n".join(kept)
    result = _lint(_write(parser, tmp_path / "contracts.ini"))
    assert result.returncode != 0, f"{exception} is listed but not needed"
    assert exception.split(" -> ")[0] in result.stdout


def test_an_import_against_the_direction_breaks_the_build(tmp_path):
    """A copy of the tree where communities (the bottom layer) imports activities."""
    copy = tmp_path / "tree"
    for name in ("portal", "news", "volunteering", "workflows"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / ".importlinter", copy / ".importlinter")
    selectors = copy / "volunteering" / "communities" / "selectors.py"
    selectors.write_text(
        selectors.read_text(encoding="utf-8") + "\nfrom volunteering.activities import models\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode != 0
    assert "volunteering.communities.selectors -> volunteering.activities.models" in result.stdout
