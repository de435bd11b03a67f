"""One pattern for every list of plug-ins: commands, passes, lint rules, shape rules,
log rules, output formats, upgrade steps (and head families, fork schemas).

A Registry is an ordered list of *entries*, each the dotted path of a module
(``"prototxt_tools.cli.show"``: the module is the plug-in) or of an object in a
module (``"prototxt_tools.passes.rename:RENAME_BLOB"``).  The plug-in describes
itself (its name, help, options, documentation); the registry only says which
plug-ins exist and in what order.  An entry's name is known without importing it
(the last part of its path, lower case), so ``ptx show`` never imports what
``ptx lint`` needs; a plug-in is imported the first time it is asked for.
Plug-ins from outside the package (a fork's layer rules, a test's pass) are
added with ``add``.
"""
from __future__ import annotations

import importlib
from typing import Dict, Iterator, List, Optional, Sequence


class Registry:
    """Named plug-ins of one ``kind`` in a fixed order, imported on first use."""

    def __init__(self, kind: str, entries: Sequence[str]):
        self.kind = kind
        self._paths: Dict[str, str] = {}
        self._loaded: Dict[str, object] = {}
        for path in entries:
            self._add_path(entry_name(path), path)

    @property
    def entries(self) -> List[str]:
        """The dotted paths of the plug-ins listed by path, in order (for a registry that
        includes another's: ``rules.RULES`` lists ``logs.rules.RULES``)."""
        return [path for path in self._paths.values() if path]

    def names(self) -> List[str]:
        """Every plug-in's name, in order, without importing anything."""
        return list(self._paths)

    def __contains__(self, name: str) -> bool:
        return name in self._paths

    def __len__(self) -> int:
        return len(self._paths)

    def get(self, name: str) -> Optional[object]:
        """The plug-in called ``name`` (imported now if need be), or None."""
        if name not in self._paths:
            return None
        if name not in self._loaded:
            self._loaded[name] = load_entry(self._paths[name])
        return self._loaded[name]

    def __iter__(self) -> Iterator[object]:
        """Every plug-in, in order (imports them all)."""
        return iter([self.get(name) for name in self._paths])

    def add(self, name: str, plugin: object) -> None:
        """Add a plug-in object defined elsewhere; a name is registered once."""
        self._add_path(name, "")
        self._loaded[name] = plugin

    def _add_path(self, name: str, path: str) -> None:
        if name in self._paths:
            raise ValueError(f"{self.kind} '{name}' is already registered")
        self._paths[name] = path


def entry_name(path: str) -> str:
    """``pkg.mod`` -> ``mod``; ``pkg.mod:RENAME_BLOB`` -> ``rename_blob``."""
    module, _, attribute = path.partition(":")
    return (attribute or module.rpartition(".")[2]).lower()


def load_entry(path: str) -> object:
    """Import the module of ``path`` and return it, or the object it names after ``:``."""
    module_name, _, attribute = path.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


__all__ = ["Registry", "entry_name", "load_entry"]
