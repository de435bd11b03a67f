"""Validating a raw configuration table into a LintConfig: every key, code, option and level."""
from __future__ import annotations

import os
import re

from ..errors import PtxError
from ..problems import SEVERITY_RANK

KEYS = ("select", "ignore", "per-file-ignores", "exclude", "severity", "options", "strict",
        "roots", "deploy")


def _line_of(text: str, word: str) -> int:
    """1-based line of the first occurrence of ``word`` (0 when absent): config parsers drop lines."""
    match = re.search(re.escape(word), text)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def error(text: str, path: str, word: str, message: str) -> PtxError:
    """A config error at the line of ``text`` (the config file, or the flags) naming ``word``."""
    return PtxError(message, path, _line_of(text, word) or None, 1)


def _as_list(value, text, path, key) -> list:
    if isinstance(value, str):
        value = [v.strip() for v in value.split(",") if v.strip()]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise error(text, path, key, f"`{key}` must be a list of rule codes or names")
    return value


def _codes(selectors, text, path) -> list:
    from ..rules import matching
    for selector in selectors:
        if not matching(selector):
            raise error(text, path, selector, f"unknown rule code or name: {selector}")
    return selectors


def _rule(name, text, path):
    from ..rules import get
    rule = get(name)
    if rule is None:
        raise error(text, path, name, f"unknown rule code or name: {name}")
    return rule


def _options(raw, text, path) -> dict:
    if not isinstance(raw, dict):
        raise error(text, path, "options", "`options` must map rules to {option: value}")
    out = {}
    for name, values in raw.items():
        rule = _rule(name, text, path)
        if not isinstance(values, dict):
            raise error(text, path, name, f"options of {name} must be a table")
        for option, value in values.items():
            if option not in rule.OPTIONS:
                known = ", ".join(rule.OPTIONS) or "none"
                raise error(text, path, option, f"{rule.CODE} has no option `{option}` (options: {known})")
            kind = rule.OPTIONS[option][0]
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, kind):
                raise error(text, path, option, f"option `{option}` of {rule.CODE} must be a {kind.__name__}")
            out.setdefault(rule.CODE, {})[option] = value
    return out


def checked(raw: dict, text: str, path: str, config):
    """``config`` with the keys of ``raw`` validated and set; ``text`` and ``path`` say where
    they were written (for the line of an error)."""
    for key in raw:
        if key not in KEYS:
            raise error(text, path, key, f"unknown config key `{key}` (known: {', '.join(KEYS)})")
    if "select" in raw:
        config.select = _codes(_as_list(raw["select"], text, path, "select"), text, path)
    if "ignore" in raw:
        config.ignore = _codes(_as_list(raw["ignore"], text, path, "ignore"), text, path)
    if "exclude" in raw:
        config.exclude = _as_list(raw["exclude"], text, path, "exclude")
    for pattern, selectors in dict(raw.get("per-file-ignores", {})).items():
        items = _as_list(selectors, text, path, pattern)
        config.per_file_ignores[pattern] = _codes(items, text, path)
    for name, level in dict(raw.get("severity", {})).items():
        rule = _rule(name, text, path)
        if level not in SEVERITY_RANK:
            raise error(text, path, str(level), f"unknown severity `{level}` for {name} "
                                                f"(error, warning or info)")
        config.severity[rule.CODE] = level
    if "options" in raw:
        config.options = _options(raw["options"], text, path)
    if "strict" in raw:
        if not isinstance(raw["strict"], bool):
            raise error(text, path, "strict", "`strict` must be true or false")
        config.strict = raw["strict"]
    if "roots" in raw:
        config.roots = _paths(raw["roots"], text, path, "roots", os.path.isdir, "folder")
    if "deploy" in raw:
        config.deploy = _paths(raw["deploy"], text, path, "deploy", os.path.isfile, "file")
    return config


def _paths(raw, text: str, path: str, key: str, exists, what: str) -> dict:
    """glob -> a folder (``roots``) or a file (``deploy``), made absolute against the config
    file's folder; one that does not exist is a config error."""
    if not isinstance(raw, dict):
        raise error(text, path, key, f"`{key}` must map path globs to {what}s")
    base = os.path.dirname(os.path.abspath(path))
    out = {}
    for pattern, target in raw.items():
        if not isinstance(target, str) or not target:
            raise error(text, path, pattern, f"the {key} entry for {pattern!r} must be a {what} name")
        full = os.path.normpath(os.path.join(base, target))
        if not exists(full):
            raise error(text, path, pattern, f"the {key} entry for {pattern!r} is not a {what}: {full}")
        out[pattern] = full
    return out
