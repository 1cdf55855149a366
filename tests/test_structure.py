"""The house stays in order: apps import only their own floor and the floors below, and no two
modules import each other, directly or round a circle (docs/architecture.md, "Layers").

The graph is read from the source with ``ast`` — every ``import`` and ``from … import``, including
those inside functions, since a lazy import is still a dependency. Migrations are history and are
left out.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "thidua"

# Lowest first. An app may import its own modules and those of any app before it.
LAYERS = ["core", "orgs", "rulesets", "movements", "exemplars", "documents", "nominations",
          "reviews", "decisions", "reports", "home"]
# Modules of the project itself (urls, settings, the command) stand above every app.
PROJECT_LAYER = len(LAYERS)

# (importing app, imported app) pairs that are allowed against the order, each with its reason
# in docs/architecture.md. Keep it empty if at all possible.
ALLOWED_UPWARD: set[tuple[str, str]] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts}


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The module a dotted name refers to: the longest known prefix (``thidua.core.activity.x``
    names a thing inside ``thidua.core.activity``)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def imports_of(module: str, path: Path, known: dict[str, Path]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package_of(module, path)
                for _ in range(node.level - 1):
                    package = package.rpartition(".")[0]
                base = f"{package}.{base}" if base else package
            # ``from thidua.core import activity`` imports the module thidua.core.activity.
            names = [f"{base}.{alias.name}" for alias in node.names] or [base]
        else:
            continue
        for name in names:
            if name.split(".")[0] != "thidua":
                continue
            target = _resolve(name, known)
            if target and target != module:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    known = source_modules()
    return {module: imports_of(module, path, known) for module, path in known.items()}


def layer_of(module: str) -> tuple[str, int]:
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS):
        app = parts[1]
        if app in LAYERS:
            return app, LAYERS.index(app)
    return "project", PROJECT_LAYER


def upward_imports(graph) -> list[str]:
    found = []
    for module, targets in graph.items():
        app, level = layer_of(module)
        for target in targets:
            target_app, target_level = layer_of(target)
            if target_level > level and (app, target_app) not in ALLOWED_UPWARD:
                found.append(f"{module} → {target}")
    return sorted(found)


def cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_app_is_on_a_floor():
    apps = {p.name for p in PACKAGE.iterdir() if (p / "apps.py").exists()}
    assert apps == set(LAYERS)


def test_no_app_imports_a_higher_one():
    assert upward_imports(import_graph()) == []


def test_no_module_imports_round_a_circle():
    assert cycles(import_graph()) == []


def test_core_imports_no_domain_app():
    graph = import_graph()
    from_core = {t for m, targets in graph.items() if layer_of(m)[0] == "core" for t in targets}
    assert {layer_of(t)[0] for t in from_core} <= {"core"}


# The checker itself must be able to fail: a made-up graph with the faults it looks for.
def test_the_checker_finds_an_upward_import_and_a_circle():
    graph = {
        "thidua.core.models": {"thidua.core.activity"},
        "thidua.core.activity": {"thidua.core.models"},
        "thidua.orgs.models": {"thidua.decisions.models"},
        "thidua.decisions.models": {"thidua.orgs.models"},
    }
    assert upward_imports(graph) == ["thidua.orgs.models → thidua.decisions.models"]
    assert sorted(cycles(graph)) == [["thidua.core.activity", "thidua.core.models"],
                                     ["thidua.decisions.models", "thidua.orgs.models"]]


@pytest.mark.parametrize("source, expected", [
    ("from thidua.core import activity", {"thidua.core.activity"}),
    ("from thidua.core.activity import record", {"thidua.core.activity"}),
    ("def f():\n    from thidua.orgs.models import Organisation", {"thidua.orgs.models"}),
    ("import thidua.core.text", {"thidua.core.text"}),
    ("from . import activity", {"thidua.core.activity"}),
])
def test_the_checker_reads_every_kind_of_import(tmp_path, source, expected):
    path = tmp_path / "probe.py"
    path.write_text(source, encoding="utf-8")
    known = {**source_modules(), "thidua.core.probe": path}
    assert imports_of("thidua.core.probe", path, known) == expected
