"""Shell templates: nets with ``${NUM_LABELS}``-style placeholders (DeepLab's
``run_pascal.sh`` fills them with sed).  An unquoted placeholder is already a
parse error; a quoted one in a layer's name, type, bottom or top hides the wiring
the heads are found by, so ``--replace-head`` refuses the net, pointing at it.
Placeholders in paths (``source``, ``mean_file``) do not matter to a head.  A
count written as a bare word (MobileNet-SSD's templates: ``num_output: cls6x``,
replaced by its generator script) is a placeholder too."""
from __future__ import annotations

import re

from ..errors import PtxError

_PLACEHOLDER = re.compile(r"\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Z_][A-Z0-9_]*")
_WIRING = ("name", "type", "bottom", "top")
_COUNTS = ("num_output", "num_classes", "output_dim")


def refuse_templates(ptx_file) -> None:
    """PtxError at the first layer name, type, bottom or top holding a placeholder."""
    for layer in ptx_file.net.layers:
        for name in _WIRING:
            for node in layer.body.values(name):
                raw = getattr(node, "raw", "")
                if "$" in raw and _PLACEHOLDER.search(raw):
                    raise PtxError(f"this net is a shell template ({name} {raw}): fill in its "
                                   f"placeholders first (with the script that came with it, or "
                                   f"sed/envsubst), then edit the result",
                                   ptx_file.path, node.line, node.col)
        _refuse_word_counts(ptx_file, layer)


def _refuse_word_counts(ptx_file, layer) -> None:
    for field in layer.body.fields:
        if not field.name.endswith("_param") or not hasattr(field.value, "fields"):
            continue
        for name in _COUNTS:
            for node in field.value.values(name):
                raw = getattr(node, "raw", "")
                if raw and not raw.lstrip("+-").isdigit():
                    raise PtxError(f"this net is a template ({name}: {raw} in layer "
                                   f"'{layer.name}' is a placeholder): generate the net with "
                                   f"the script that came with it, then edit the result",
                                   ptx_file.path, node.line, node.col)
