"""Running the rules: one file (text) at a time, solvers with their nets, then config
(selection, severity overrides) and inline suppressions, applied once here for every rule.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable, List, Optional, Tuple

from ..errors import PtxError
from ..problems import Problem
from .config import LintConfig
from .context import LintContext, LintOptions, NetRole
from .suppress import UNUSED_CODE, apply_suppressions, find_suppressions


def parse_file(path: str, text: str, schema: Optional[str]):
    """(PtxFile, None) or (None, PTX001 Problem) for text that does not parse."""
    from ..api import PtxFile
    try:
        return PtxFile(text, path, schema), None
    except PtxError as exc:
        from ..rules.syntax_error import problem
        return None, problem(path, exc)


def _run_rules(context: LintContext, config: LintConfig, codes) -> List[Problem]:
    from ..rules import RULES, checks_prototxt
    found = []
    for rule in RULES:
        if rule.CODE not in codes or rule.CODE == UNUSED_CODE or not checks_prototxt(rule):
            continue
        context.rule = rule
        try:
            found.extend(rule.check(context, config.rule_options(rule)))
        except PtxError:
            raise
        except Exception as exc:  # a bug in a rule: exit 2 with the rule named, no traceback
            raise PtxError(f"internal error in rule {rule.CODE} ({rule.NAME}): "
                           f"{type(exc).__name__}: {exc}", context.path) from exc
    return found


def solver_nets(ptx_file) -> List[Tuple[Optional[str], object, NetRole]]:
    """(file path or None, inline Net or None, role) for every net a solver builds."""
    solver, path = ptx_file.solver, ptx_file.path
    test_states = solver.test_state
    out = []
    train = solver.train_net or solver.net
    if train is not None:
        out.append((train.path, None, NetRole("train", path, solver.train_state)))
    inline = solver.train_net_param or solver.net_param
    if inline is not None:
        out.append((None, inline, NetRole("train", path, solver.train_state)))
    tests = [(ref.path, None) for ref in solver.test_net]
    tests += [(None, net) for net in solver.test_net_param]
    if solver.net is not None and len(solver.test_iter) > len(tests):
        tests.append((solver.net.path, None))
    if solver.net_param is not None and len(solver.test_iter) > len(tests):
        tests.append((None, solver.net_param))
    for i, (ref, inline) in enumerate(tests):
        state = test_states[i] if i < len(test_states) else None
        out.append((ref, inline, NetRole("test", path, state)))
    return out


def lint_text(path: str, text: str, config: LintConfig, options: LintOptions,
              role: Optional[NetRole] = None) -> List[Problem]:
    """Every finding for one file's text, after config and suppressions, sorted."""
    codes = config.enabled_codes(path)
    ptx_file, parse_error = parse_file(path, text, options.schema)
    context = LintContext(path, text, ptx_file, parse_error, options, role,
                          config_roots=config.roots, config_deploy=config.deploy,
                          extra_types=_extra_types(config))
    found = _run_rules(context, config, codes)
    if ptx_file is not None and ptx_file.kind == "solver" and role is None:
        found += _lint_solver_nets(context, config, codes)
    found = [_with_severity(p, config) for p in unique_problems(found)]
    doc = ptx_file.doc if ptx_file is not None else None
    kept = apply_suppressions([p for p in found if p.path == path], find_suppressions(text, doc), path)
    kept = [p for p in kept if p.code in codes]
    return sorted(kept + [p for p in found if p.path != path])


def _extra_types(config: LintConfig) -> tuple:
    """The layer types the config says this Caffe build has (unknown-layer-type's
    ``extra-types``): known to every rule, so fork-use does not report them either."""
    from ..rules import unknown_layer_type
    return tuple(config.rule_options(unknown_layer_type)["extra-types"])


def _lint_solver_nets(context: LintContext, config: LintConfig, codes) -> List[Problem]:
    found = []
    for ref, inline, role in solver_nets(context.ptx_file):
        if inline is not None:
            sub = replace(context, role=role, net=inline, _cache={})
            found += _run_rules(sub, config, codes)
            continue
        loaded = context.load_referenced(ref)
        if loaded is None or loaded.kind != "net":
            continue
        found += lint_text(loaded.path, loaded.text, config, context.options, role)
    return found


def unique_problems(problems: Iterable[Problem]) -> List[Problem]:
    """The findings in order, each (place, code, message) once."""
    seen, out = set(), []
    for p in problems:
        key = (p.path, p.line, p.col, p.code, p.message)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out


def _with_severity(problem: Problem, config: LintConfig) -> Problem:
    level = config.severity.get(problem.code)
    return replace(problem, severity=level) if level and level != problem.severity else problem
