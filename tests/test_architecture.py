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


# --- Size: a capability that grows past this is two capabilities --------------------------

PACKAGE_LIMIT = 1500  # lines of Python in one volunteering/<package>/, migrations excluded
FILE_LIMIT = 500  # lines in one .py file outside migrations
SIZED_ROOTS = ("portal", "news", "volunteering", "workflows", "tests", "bench")
NOT_SIZED = {"migrations", ".venv", "__pycache__", "node_modules"}


def _lines(path: Path) -> int:
    return path.read_text(encoding="utf-8").count("\n")  # as `wc -l` counts


def _sized_files(root: Path) -> list[Path]:
    return sorted(
        path for path in root.rglob("*.py") if not NOT_SIZED & set(path.relative_to(root).parts)
    )


def oversized_packages(base: Path) -> list[str]:
    """Each `volunteering/<package>/` with PACKAGE_LIMIT lines of Python or more."""
    found = []
    for package in sorted((base / "volunteering").iterdir()):
        if not package.is_dir() or package.name in NOT_SIZED:
            continue
        lines = sum(_lines(path) for path in _sized_files(package))
        if lines >= PACKAGE_LIMIT:
            found.append(f"volunteering/{package.name}/: {lines} lines")
    return found


def oversized_files(base: Path) -> list[str]:
    """Each .py file of the project (SIZED_ROOTS) over FILE_LIMIT lines."""
    found = []
    for name in SIZED_ROOTS:
        if not (base / name).is_dir():
            continue
        for path in _sized_files(base / name):
            if (lines := _lines(path)) > FILE_LIMIT:
                found.append(f"{path.relative_to(base)}: {lines} lines")
    return found


def test_every_capability_package_is_smaller_than_the_limit():
    found = oversized_packages(ROOT)
    assert not found, (
        f"volunteering/ packages of {PACKAGE_LIMIT} lines of Python or more (migrations "
        f"excluded); split a capability out into a package of its own: {', '.join(found)}"
    )


def test_no_file_is_over_the_limit():
    found = oversized_files(ROOT)
    assert not found, (
        f"Python files over {FILE_LIMIT} lines (migrations excluded); split them: "
        f"{', '.join(found)}"
    )


def test_the_size_rule_names_the_offenders(tmp_path):
    """The count sees a package's files at any depth, skips migrations, names who is over."""
    package = tmp_path / "volunteering" / "big"
    (package / "sub").mkdir(parents=True)
    (package / "migrations").mkdir()
    (package / "a.py").write_text("x = 1\n" * FILE_LIMIT)
    (package / "sub" / "b.py").write_text("x = 1\n" * FILE_LIMIT)
    (package / "sub" / "c.py").write_text("x = 1\n" * (PACKAGE_LIMIT - 2 * FILE_LIMIT - 1))
    (package / "migrations" / "0001_initial.py").write_text("x = 1\n" * 5000)
    (tmp_path / "volunteering" / "small").mkdir()
    (tmp_path / "volunteering" / "small" / "d.py").write_text("x = 1\n")
    assert oversized_packages(tmp_path) == []
    assert oversized_files(tmp_path) == []

    (package / "sub" / "b.py").write_text("x = 1\n" * (FILE_LIMIT + 1))
    assert oversized_packages(tmp_path) == [f"volunteering/big/: {PACKAGE_LIMIT} lines"]
    assert oversized_files(tmp_path) == [f"volunteering/big/sub/b.py: {FILE_LIMIT + 1} lines"]
