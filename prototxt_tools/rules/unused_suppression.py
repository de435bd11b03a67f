"""A `# ptx: disable=...` comment that suppresses nothing, or names an unknown rule.

## What it does
After all rules ran, reports every suppression comment (or code in it) that
matched no finding, and codes or names that are not rules.

## Why it matters
Stale suppressions hide the next real problem on that line or layer, and a
misspelt code suppresses nothing while looking as if it did.

## Example
```prototxt
layer { name: "fc8" type: "InnerProduct"  # ptx: disable=PTX999
```

## Use instead
Remove the comment, or name the rule that really fires there
(`ptx rule --all` lists codes and names).
"""
from __future__ import annotations

CODE = "PTX008"
NAME = "unused-suppression"
SEVERITY = "warning"
OPTIONS: dict = {}


def check(context, options):
    """Computed by the runner (``lint.suppress``) once every other rule has run."""
    return ()
