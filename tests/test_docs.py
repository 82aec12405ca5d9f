"""The docs name what exists: every file and folder docs/ARCHITECTURE.md (above its "Planned"
section) and the README's layout name is in the repository, and every module is described."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARCHITECTURE = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
BUILT = ARCHITECTURE.split("\n## Planned", 1)[0]
PATH = re.compile(r"(?<![\w./`-])(\.?[\w-]+(?:/[\w.-]+)*(?:\.(?:py|md|sh|toml|txt)|/))(?![\w/])")


def _exists(token: str) -> bool:
    token = token.rstrip("/")
    if "/" not in token:  # a bare name: a file or folder anywhere in the project
        return any(p.name == token for base in ("scorecard", "app", "tests", "docs", "data",
                                                "benchmarks", "scripts")
                   for p in (ROOT / base).rglob(token)) or (ROOT / token).exists()
    return (ROOT / token).exists() or (ROOT / "scorecard" / token).exists()


def _layout_paths() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    return [m.group(1) for m in re.finditer(r"^    ((?:scorecard|data|benchmarks|tests|app)"
                                            r"[\w/.]*)", layout, re.M)]


def test_the_scan_finds_paths():
    found = set(PATH.findall(BUILT))
    assert {"engine/api.py", "app/", "cli/common.py", "views/"} <= found
    assert not _exists("fairness/nowhere.py") and not _exists("auth_gate.py")
    assert {"scorecard/engine", "scorecard/cli", "data/", "tests/"} <= set(_layout_paths())


@pytest.mark.parametrize("token", sorted(set(PATH.findall(BUILT)) | {".ci/run"}))
def test_every_path_the_architecture_names_exists(token):
    assert _exists(token), f"docs/ARCHITECTURE.md names {token}, which does not exist"


@pytest.mark.parametrize("token", _layout_paths())
def test_every_folder_of_the_readme_layout_exists(token):
    assert _exists(token), f"README.md's layout names {token}, which does not exist"


def _modules() -> list[str]:
    out = []
    for path in sorted((ROOT / "scorecard").rglob("*.py")):
        relative = path.relative_to(ROOT / "scorecard").as_posix()
        if "migrations/" in relative or (path.name == "__init__.py" and "/" in relative
                                         and relative != "distributed/__init__.py"
                                         and relative != "cli/__init__.py"):
            continue
        if relative != "__init__.py":
            out.append(relative)
    return out


@pytest.mark.parametrize("module", _modules())
def test_every_module_is_described(module):
    name = module.rsplit("/", 1)[-1]
    listed = module in BUILT or re.search(rf"(?<![\w/]){re.escape(name)}\b", BUILT) and (
        "/" not in module or module.split("/")[0] + "/" in BUILT)
    assert listed, f"describe scorecard/{module} in docs/ARCHITECTURE.md (Modules)"
