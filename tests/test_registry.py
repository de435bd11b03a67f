"""The one plug-in pattern: names known without imports, lazy loading, one name once."""
from __future__ import annotations

import pytest

from prototxt_tools.registry import Registry, entry_name


def test_names_come_from_the_paths_without_importing():
    rules = Registry("log rule", ["prototxt_tools.logs.rules.plateau",
                                  "prototxt_tools.passes.rename:RENAME_BLOB",
                                  "no_such_package.module"])
    assert rules.names() == ["plateau", "rename_blob", "module"]   # nothing imported yet
    with pytest.raises(ImportError):
        rules.get("module")
    assert rules.get("plateau").CODE == "PTX606"
    assert rules.get("rename_blob").flag == "--rename-blob"
    assert rules.get("nope") is None
    assert entry_name("a.b:C_D") == "c_d"


def test_a_name_is_registered_once_and_added_plugins_follow():
    registry = Registry("thing", ["prototxt_tools.registry"])
    with pytest.raises(ValueError, match="thing 'registry' is already registered"):
        registry.add("registry", object())
    marker = object()
    registry.add("extra", marker)
    assert list(registry)[-1] is marker and len(registry) == 2
    assert registry.entries == ["prototxt_tools.registry"]


def test_every_registry_lists_plugins_that_describe_themselves():
    """Each registry's plug-ins carry what their consumers read."""
    from prototxt_tools.cli import COMMANDS
    from prototxt_tools.formats import FINDINGS
    from prototxt_tools.passes import PASSES
    from prototxt_tools.rules import RULES
    from prototxt_tools.shapes.core import MODULES
    from prototxt_tools.upgrade import NET_STEPS, SOLVER_STEPS
    assert all(hasattr(c, "HELP") and hasattr(c, "run") for c in COMMANDS)
    assert all(hasattr(f, "render") for f in FINDINGS)
    assert all(p.name == n for p, n in zip(PASSES, PASSES.names()))
    assert all(hasattr(r, "CODE") and hasattr(r, "check") for r in RULES)
    assert all(hasattr(s, "run") for s in list(NET_STEPS) + list(SOLVER_STEPS))
    assert len(list(MODULES)) == len(MODULES)
