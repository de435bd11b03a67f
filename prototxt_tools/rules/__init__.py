"""Lint rules: one module per rule, listed explicitly in RULES (code order).

Families: 0xx syntax and schema, 1xx graph, 2xx parameters, 3xx fine-tuning
and data, 4xx solver, 5xx shapes and weights, 7xx a model's files together.
To add a rule, write its module (see ``base.py`` for the contract) and add it to the import list and
RULES below; tests then require its documentation sections and README row.
"""
from __future__ import annotations

from typing import Dict, List, Optional

from . import (base_lr_too_high, fork_use, batchnorm_frozen_stats, batchnorm_lr_mult, blob_count,
               deprecated_data_param, deprecated_solver_type, duplicate_layer_name,
               in_place_not_allowed, include_and_exclude, label_gaps, loss_weight_count,
               lr_policy, mean_file_size, missing_weight_filler, momentum, multiple_producers,
               num_output_mismatch, old_net_format, propagate_down_count, renamed_head_lr,
               repeated_singular, snapshot_prefix, solver_mode_omitted, solver_net_missing,
               stepsize_vs_max_iter, syntax_error, test_mirror, too_many_params,
               train_without_loss, unknown_bottom, unknown_enum, unknown_field,
               unknown_layer_type, unshuffled_data, untested_net, unused_suppression, unused_top,
               wrong_value_type)
from . import (solver_root, class_count_mismatch, deploy_mismatch, deploy_head,
               deploy_training_layers,
               input_mismatch, kernel_too_large, label_count, reshape_unsatisfiable,
               shape_check_failed, shared_param_mismatch, weight_copy)

RULES: List[object] = [
    syntax_error, unknown_field, unknown_enum, wrong_value_type, repeated_singular,
    unknown_layer_type, old_net_format, unused_suppression, fork_use,
    unknown_bottom, multiple_producers, include_and_exclude, duplicate_layer_name,
    in_place_not_allowed, blob_count, unused_top,
    too_many_params, propagate_down_count, batchnorm_lr_mult, batchnorm_frozen_stats,
    loss_weight_count, missing_weight_filler,
    num_output_mismatch, label_gaps, unshuffled_data, test_mirror, mean_file_size,
    deprecated_data_param, renamed_head_lr, train_without_loss, class_count_mismatch,
    solver_net_missing, lr_policy, stepsize_vs_max_iter, base_lr_too_high, untested_net,
    snapshot_prefix, solver_mode_omitted, momentum, deprecated_solver_type, solver_root,
    input_mismatch, kernel_too_large, label_count, reshape_unsatisfiable, shape_check_failed,
    weight_copy, shared_param_mismatch,
    deploy_mismatch, deploy_head, deploy_training_layers,
]

BY_CODE: Dict[str, object] = {rule.CODE: rule for rule in RULES}
BY_NAME: Dict[str, object] = {rule.NAME: rule for rule in RULES}


def register(rule) -> None:
    """Add a rule module defined outside this package (e.g. a plugin); codes stay unique."""
    if rule.CODE in BY_CODE or rule.NAME in BY_NAME:
        raise ValueError(f"rule {rule.CODE} {rule.NAME} is already registered")
    RULES.append(rule)
    RULES.sort(key=lambda r: r.CODE)
    BY_CODE[rule.CODE] = rule
    BY_NAME[rule.NAME] = rule


def get(code_or_name: str) -> Optional[object]:
    """The rule with this code (any case) or name, or None."""
    return BY_CODE.get(code_or_name.upper()) or BY_NAME.get(code_or_name.lower())


def matching(selector: str) -> List[object]:
    """Rules a config selector names: a code, a code prefix (``PTX1``, ``PTX``) or a name."""
    rule = get(selector)
    if rule is not None:
        return [rule]
    prefix = selector.upper()
    if prefix.startswith("PTX"):
        return [r for r in RULES if r.CODE.startswith(prefix)]
    return []


__all__ = ["RULES", "BY_CODE", "BY_NAME", "get", "matching", "register"]
