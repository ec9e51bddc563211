"""The package's imports run one way (DESIGN.md: "Imports run one way").

Every import counts, at the top of a module or inside a function. A package's
``__init__`` is only a face: an import of a name through it counts as an
import of the module that defines the name.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "feedback_miner"
MAX_LINES = 500

# (importer prefix, imported prefix): never allowed
FORBIDDEN = [
    ("feedback_miner.report", "feedback_miner.pipeline"),
    ("feedback_miner.report", "feedback_miner.engines"),
    ("feedback_miner.report", "feedback_miner.stages"),
    ("feedback_miner.summary", "feedback_miner.pipeline"),
    ("feedback_miner.summary", "feedback_miner.engines"),
    ("feedback_miner.features", "feedback_miner.pipeline"),
    ("feedback_miner.features", "feedback_miner.engines"),
    ("feedback_miner.engines", "feedback_miner.pipeline"),
    ("feedback_miner.stages", "feedback_miner.engines"),
    ("feedback_miner.stages", "feedback_miner.pipeline"),
    ("feedback_miner.result", "feedback_miner.pipeline"),
    ("feedback_miner.pipeline", "feedback_miner.cli"),
    ("feedback_miner.pipeline", "feedback_miner.web"),
]
LOWER = ("text", "sentiment", "themes", "ingest", "attribution", "summary", "report", "features")
FORBIDDEN += [
    (f"feedback_miner.{low}", f"feedback_miner.{top}")
    for low in LOWER
    for top in ("cli", "web", "pipeline")
]


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_package(name: str) -> bool:
    return (PACKAGE.parent / Path(*name.split(".")) / "__init__.py").is_file()


def _file_of(name: str) -> Path:
    base = PACKAGE.parent / Path(*name.split("."))
    return base / "__init__.py" if _is_package(name) else base.with_suffix(".py")


@cache
def _imports(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(module, names) for every import statement of ``name``; names empty for ``import x``."""
    path = _file_of(name)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: list[tuple[str, tuple[str, ...]]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.append((module, tuple(alias.name for alias in node.names)))
    return tuple((m, n) for m, n in found if m.split(".")[0] == "feedback_miner")


def _defining_module(package: str, name: str, seen: frozenset[str] = frozenset()) -> str | None:
    """The module a package's face takes ``name`` from (None: defined in the face itself)."""
    if _is_package(f"{package}.{name}") or _file_of(f"{package}.{name}").is_file():
        return f"{package}.{name}"
    for module, names in _imports(package):
        if name in names and module not in seen:
            if _is_package(module):
                return _defining_module(module, name, seen | {package})
            return module
    return None


def _edges() -> dict[str, set[str]]:
    modules = [_module_name(p) for p in PACKAGE.rglob("*.py")]
    edges: dict[str, set[str]] = {}
    for module in modules:
        if _file_of(module).name == "__init__.py":
            continue  # faces do not count
        targets: set[str] = set()
        for imported, names in _imports(module):
            if not _is_package(imported):
                targets.add(imported)
                continue
            for name in names:
                defining = _defining_module(imported, name)
                if defining is not None and not _is_package(defining):
                    targets.add(defining)
        edges[module] = targets - {module}
    return edges


def test_no_import_cycles() -> None:
    edges = _edges()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for target in sorted(edges.get(node, ())):
            if state.get(target) == 1:
                cycles.append([*path[path.index(target) :], target])
            elif target not in state:
                visit(target, [*path, target])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    assert cycles == []


@pytest.mark.parametrize(("importer", "imported"), FORBIDDEN)
def test_imports_run_one_way(importer: str, imported: str) -> None:
    wrong = [
        (source, target)
        for source, targets in _edges().items()
        for target in targets
        if (source == importer or source.startswith(importer + "."))
        and (target == imported or target.startswith(imported + "."))
    ]
    assert wrong == []


def test_no_module_over_500_lines() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_checker_sees_imports_inside_functions() -> None:
    """A guard of the test itself: imports in function bodies and through faces are edges."""
    edges = _edges()
    assert "feedback_miner.pipeline" in edges["feedback_miner.cli.common"]  # inside a function
    assert "feedback_miner.stages" in edges["feedback_miner.engines.local"]
    # through the face of feedback_miner.attribution to the module that defines the name
    assert "feedback_miner.attribution.labels" in edges["feedback_miner.pipeline"]


def test_every_subpackage_is_in_the_wheel() -> None:
    """pyproject lists packages by hand: a new folder left out would be missing from the wheel."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]

    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(project["tool"]["setuptools"]["packages"])
    on_disk = {_module_name(p) for p in PACKAGE.rglob("__init__.py")}
    assert on_disk - listed == set()
