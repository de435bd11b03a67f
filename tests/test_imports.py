"""The package's import graph has no circles: every ``import`` of one ptx module by another,
at the top of a module or inside a function (a lazy import is still a dependency), read
from the source.  A circle means two modules that cannot be understood one without the
other; ``edits``, ``weights`` and ``schema`` were split along such lines."""
from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Set

import networkx as nx

PACKAGE = Path(__file__).resolve().parent.parent / "prototxt_tools"


def _modules() -> Dict[str, Path]:
    """Dotted name -> source file; a C extension (``_cparse.c``) is a module without imports."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    for path in PACKAGE.rglob("*.c"):
        found[".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)] = path
    return found


def _imported(name: str, path: Path, modules: Dict[str, Path]) -> Set[str]:
    """The ptx modules ``name`` imports (``from . import x`` names module x when there is one)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
    return {target for target in found if target in modules and target != name}


def import_graph() -> nx.DiGraph:
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        if path.suffix == ".py":
            graph.add_edges_from((name, target) for target in _imported(name, path, modules))
    return graph


def test_the_import_graph_has_no_circles():
    graph = import_graph()
    assert graph.number_of_edges() > 300    # the walk really finds the imports
    circles = [sorted(group) for group in nx.strongly_connected_components(graph) if len(group) > 1]
    assert circles == []


def test_a_circle_would_be_found():
    graph = import_graph()
    graph.add_edge("prototxt_tools.edits", "prototxt_tools.passes.driver")
    assert not nx.is_directed_acyclic_graph(graph)
