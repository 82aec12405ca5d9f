"""The house drawn from its imports: no private names across modules, no cycles, layers kept,
rooms a reader can hold in mind. Parsed with ast, so nothing is imported or executed."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("scorecard", "app")
MAX_LINES = 500
LONG_MARKER = "Long module:"
# Lower layers never import higher ones (docs/ARCHITECTURE.md); same rank = siblings that must
# not import each other. Modules not listed (exceptions, options, validation, io, ...) are leaves.
LAYERS = {
    "scorecard.engine": 0,
    "scorecard.stats": 1,
    "scorecard.binning": 2,
    "scorecard.model": 3,
    "scorecard.fairness": 4,
    "scorecard.monitoring": 4,
    "scorecard.export": 4,
    "scorecard.storage": 5,
    "scorecard.reports": 5,
    "scorecard.streaming": 5,
    "scorecard.scheduling": 6,
    "scorecard.cli": 7,
    "app": 7,
}
# Inside the CLI package: the package module (the Typer app) imports the command modules, the
# command modules import only the shared helpers, and the helpers import no other CLI module.
CLI = "scorecard.cli"
CLI_HELPERS = {"scorecard.cli.common"}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str) -> Iterator[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) of every import statement, lazy ones too."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node, path.name == "__init__.py")
            for alias in node.names:
                submodule = f"{target}.{alias.name}"
                if submodule in MODULES:
                    yield submodule, None, node.lineno
                else:
                    yield target, alias.name, node.lineno


def _own(name: str) -> str | None:
    """The project module an import refers to (a package's __init__ counts), else None."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _private_violation(importer: str, target: str, name: str | None) -> str | None:
    if name is not None and _is_private(name):
        return f"imports the private name {name} from {target}"
    parts = target.split(".")
    for i, part in enumerate(parts):
        if _is_private(part):
            owner = ".".join(parts[:i])  # a private module is private to its package
            if not (importer == owner or importer.startswith(owner + ".")):
                return f"imports the private module {'.'.join(parts[: i + 1])}"
    return None


def _layer_prefix(module: str) -> str | None:
    for prefix in LAYERS:
        if module == prefix or module.startswith(prefix + "."):
            return prefix
    return None


def _layer(module: str) -> int | None:
    prefix = _layer_prefix(module)
    return None if prefix is None else LAYERS[prefix]


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for module in MODULES:
        for target, _, _ in _imports(module):
            own = _own(target)
            if own is not None and own != module:
                graph[module].add(own)
    return graph


def test_the_scan_sees_the_package():
    assert {"scorecard.binning.binner", "scorecard.model.spec", "scorecard.engine"} <= set(MODULES)
    graph = _graph()
    assert "scorecard.model.schema" in graph["scorecard.model.scoring"]
    assert "scorecard.binning._columns" in graph["scorecard.binning.process"]


def test_no_module_imports_another_modules_private_names():
    problems = [
        f"{module} line {line}: {why}"
        for module in MODULES
        for target, name, line in _imports(module)
        if _own(target) is not None
        and (why := _private_violation(module, target, name)) is not None
    ]
    assert problems == []


def test_the_private_name_rule_catches_what_it_should():
    assert _private_violation("scorecard.binning.process", "scorecard.binning.binner", "_x")
    assert _private_violation("app.state", "scorecard._validation", "binary_target")
    assert _private_violation("scorecard.model.spec", "scorecard.binning._columns", "x")
    assert not _private_violation("scorecard.binning.process", "scorecard.binning._columns", "x")
    assert not _private_violation("scorecard.engine.api", "scorecard.engine._kernels", None)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_import_graph_has_no_cycle():
    assert _cycles(_graph()) == []
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_lower_layers_never_import_higher_ones_nor_siblings():
    problems = []
    for module, targets in _graph().items():
        rank = _layer(module)
        for target in targets:
            other = _layer(target)
            if rank is None or other is None or _layer_prefix(module) == _layer_prefix(target):
                continue
            if other >= rank:
                problems.append(f"{module} imports {target}")
    assert problems == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small_or_say_why(module):
    path = MODULES[module]
    text = path.read_text(encoding="utf-8")
    n_lines = text.count("\n")
    if n_lines <= MAX_LINES:
        return
    docstring = ast.get_docstring(ast.parse(text)) or ""
    assert LONG_MARKER in docstring, (
        f"{module} has {n_lines} lines; split it by responsibility or state the reason in its "
        f"docstring after {LONG_MARKER!r}"
    )


def _cli_problems(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, targets in graph.items():
        if not module.startswith(CLI + ".") or module == CLI + ".__main__":
            continue
        for target in targets:
            if not target.startswith(CLI):
                continue
            if module in CLI_HELPERS and target != module:
                problems.append(f"helper {module} imports {target}")
            elif module not in CLI_HELPERS and target not in CLI_HELPERS:
                problems.append(f"command module {module} imports {target}")
    return problems


def test_the_cli_is_a_package_of_command_modules_over_shared_helpers():
    graph = _graph()
    commands = {m for m in graph if m.startswith(CLI + ".")} - CLI_HELPERS - {CLI + ".__main__"}
    assert {"scorecard.cli.scorecard", "scorecard.cli.binning", "scorecard.cli.monitor"} <= commands
    assert commands <= graph[CLI], "the app registers every command module"
    assert _cli_problems(graph) == []
    bad = {"scorecard.cli.common": {"scorecard.cli.drift"},
           "scorecard.cli.drift": {"scorecard.cli", "scorecard.cli.common"},
           "scorecard.cli.fit": {"scorecard.cli.drift"}}
    assert sorted(_cli_problems(bad)) == [
        "command module scorecard.cli.drift imports scorecard.cli",
        "command module scorecard.cli.fit imports scorecard.cli.drift",
        "helper scorecard.cli.common imports scorecard.cli.drift",
    ]
