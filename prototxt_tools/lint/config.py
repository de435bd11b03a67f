"""Lint configuration: ``--config FILE``, else ``[tool.ptx]`` in the nearest pyproject.toml,
else ``[ptx]`` in the nearest setup.cfg (walking up from the working directory).

Keys: ``select``, ``ignore``, ``per-file-ignores`` (glob -> codes), ``exclude``
(globs), ``severity`` (code or name -> error/warning/info), ``options`` (rule ->
{option: value}), ``strict``, ``roots`` (glob of solver or net paths -> the folder
their relative paths resolve against, relative to the config file; see ``roots.py``),
``deploy`` (glob of deploy nets -> the training net to check each against; see ``models.py``).  Unknown keys, codes, options or levels are
errors (PtxError, exit 2) that name the file and line: a typo in a config
silently turning a rule off is exactly what a linter must not allow.
"""
from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Set

from ..errors import PtxError
from .config_check import KEYS

@dataclass
class LintConfig:
    path: Optional[str] = None
    select: List[str] = field(default_factory=lambda: ["PTX"])
    ignore: List[str] = field(default_factory=list)
    per_file_ignores: Dict[str, List[str]] = field(default_factory=dict)
    exclude: List[str] = field(default_factory=list)
    severity: Dict[str, str] = field(default_factory=dict)     # code -> level
    options: Dict[str, dict] = field(default_factory=dict)     # code -> {option: value}
    strict: bool = False
    roots: Dict[str, str] = field(default_factory=dict)        # glob -> folder
    deploy: Dict[str, str] = field(default_factory=dict)       # deploy glob -> training net

    def enabled_codes(self, path: str = "") -> Set[str]:
        from ..rules import matching
        codes = {r.CODE for s in self.select for r in matching(s)}
        codes -= {r.CODE for s in self.ignore for r in matching(s)}
        for pattern, selectors in self.per_file_ignores.items():
            if path and glob_match(path, pattern):
                codes -= {r.CODE for s in selectors for r in matching(s)}
        return codes

    def excluded(self, path: str) -> bool:
        return any(glob_match(path, pattern) for pattern in self.exclude)

    def rule_options(self, rule) -> dict:
        values = {name: default for name, (_kind, default) in rule.OPTIONS.items()}
        values.update(self.options.get(rule.CODE, {}))
        return values


def glob_match(path: str, pattern: str) -> bool:
    norm = path.replace(os.sep, "/")
    norm = norm[2:] if norm.startswith("./") else norm
    return (fnmatch.fnmatch(norm, pattern) or fnmatch.fnmatch(os.path.basename(norm), pattern)
            or fnmatch.fnmatch(norm, "*/" + pattern))


def find_config(start: str = ".") -> Optional[str]:
    """The nearest pyproject.toml with [tool.ptx] or setup.cfg with [ptx], walking up."""
    folder = os.path.abspath(start)
    while True:
        for name, marker in (("pyproject.toml", r"^\[tool\.ptx[\].]"), ("setup.cfg", r"^\[ptx\]")):
            candidate = os.path.join(folder, name)
            if os.path.isfile(candidate) and re.search(marker, _read(candidate), re.MULTILINE):
                return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise PtxError(f"cannot read config: {exc}", path) from None


def load_config(path: Optional[str] = None, start: str = ".") -> LintConfig:
    """The configuration from ``path`` (``--config``) or the nearest config file; defaults if none."""
    path = path or find_config(start)
    if path is None:
        return LintConfig()
    text = _read(path)
    if path.endswith(".toml"):
        raw = _toml_table(text, path)
    else:
        raw = _cfg_section(text, path)
    return _build(raw, text, path)


def _toml_table(text: str, path: str) -> dict:
    if sys.version_info >= (3, 11):
        import tomllib  # novermin (guarded by the version check above)
    else:  # pragma: no cover - exercised on 3.9/3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PtxError(f"invalid TOML: {exc}", path) from None
    if os.path.basename(path) == "pyproject.toml" or "tool" in data:
        return data.get("tool", {}).get("ptx", {})
    return data


def _cfg_section(text: str, path: str) -> dict:
    import configparser
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        raise PtxError(f"invalid config: {exc}".replace("\n", " "), path) from None
    if not parser.has_section("ptx"):
        return {}
    return {key: _cfg_value(key, value) for key, value in parser.items("ptx")}


def _cfg_value(key: str, value: str):
    items = [v.strip() for v in re.split(r"[,\n]", value) if v.strip()]
    if key in ("per-file-ignores", "severity", "options", "roots", "deploy"):
        return _cfg_mapping(key, items)
    if key == "strict":
        return value.strip().lower() in ("1", "true", "yes", "on")
    return items


def _cfg_mapping(key: str, items: List[str]) -> dict:
    """``glob: CODE CODE`` / ``CODE: level`` / ``CODE.option = value`` lines."""
    out: dict = {}
    for item in items:
        if key == "options":
            name, _, value = item.partition("=")
            rule, _, option = name.strip().partition(".")
            out.setdefault(rule.strip(), {})[option.strip()] = _cfg_scalar(value.strip())
        else:
            name, _, value = item.rpartition(":")
            out[name.strip()] = value.split() if key == "per-file-ignores" else value.strip()
    return out


def _cfg_scalar(value: str):
    for convert in (int, float):
        try:
            return convert(value)
        except ValueError:
            pass
    return value


def _build(raw: dict, text: str, path: str) -> LintConfig:
    from .config_check import checked
    return checked(raw, text, path, LintConfig(path=path))


__all__ = ["LintConfig", "load_config", "find_config", "KEYS"]
