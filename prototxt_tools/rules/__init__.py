"""Lint rules: one module per rule, listed explicitly in the registry RULES (code order).

Families: 0xx syntax and schema, 1xx graph, 2xx parameters, 3xx fine-tuning
and data, 4xx solver, 5xx shapes and weights, 6xx training logs (modules in
``logs/rules``, run by ``ptx log``), 7xx a model's files together.  To add a
rule, write its module (see ``base.py`` for the contract) and add its name to
RULES below; tests then require its documentation sections and README row.
"""
from __future__ import annotations

from typing import Dict, List, Optional

from ..logs.rules import RULES as LOG_RULES
from ..registry import Registry

RULES = Registry("rule", [f"{__name__}.{name}" for name in (
    "syntax_error", "unknown_field", "unknown_enum", "wrong_value_type", "repeated_singular",
    "unknown_layer_type", "old_net_format", "unused_suppression", "fork_use", "unknown_bottom",
    "multiple_producers", "include_and_exclude", "duplicate_layer_name", "in_place_not_allowed",
    "blob_count", "unused_top", "too_many_params", "propagate_down_count", "batchnorm_lr_mult",
    "batchnorm_frozen_stats", "loss_weight_count", "missing_weight_filler",
    "batchnorm_global_stats", "input_without_shape", "num_output_mismatch",
    "label_gaps", "unshuffled_data", "mirror_in_test", "mean_file_size", "deprecated_data_param",
    "renamed_head_lr", "train_without_loss", "class_count_mismatch", "crop_larger_than_resize",
    "unbalanced_classes", "solver_net_missing",
    "lr_policy", "stepsize_vs_max_iter", "base_lr_too_high", "untested_net", "snapshot_prefix",
    "solver_mode_omitted", "momentum", "deprecated_solver_type", "solver_root", "adaptive_solver_lr",
    "test_costs_more", "input_mismatch",
    "kernel_too_large", "label_count", "reshape_unsatisfiable", "shape_check_failed",
    "weight_copy", "shared_param_mismatch", "weights_renamed_layer",
)] + LOG_RULES.entries + [f"{__name__}.{name}" for name in (
    "deploy_mismatch", "deploy_head", "deploy_training_layers",
)])

BY_CODE: Dict[str, object] = {rule.CODE: rule for rule in RULES}
BY_NAME: Dict[str, object] = {rule.NAME: rule for rule in RULES}


def checks_prototxt(rule) -> bool:
    """Whether ``ptx lint`` runs ``rule`` on prototxt files (``TARGET`` absent), rather than
    ``ptx log`` on training logs (``TARGET = "log"``)."""
    return getattr(rule, "TARGET", "prototxt") == "prototxt"


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


__all__ = ["RULES", "BY_CODE", "BY_NAME", "checks_prototxt", "get", "matching"]
