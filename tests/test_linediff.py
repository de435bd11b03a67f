"""linediff: matching lines of two texts for --diff (issue 13 item 12 and the sweep's
finding that difflib took a minute on a whole-net edit of ResNet-152)."""
from __future__ import annotations

import difflib
import random

from corpus import files_of, require_corpus
from prototxt_tools.cli.output import unified_diff
from prototxt_tools.linediff import hunks, opcodes

EXTRA = ["  lr_mult: 0\n", "}\n", "layer {\n", "  decay_mult: 0\n"]


def _mutated(lines, rng):
    new = list(lines)
    for _ in range(rng.randint(0, 15)):
        k = rng.randrange(len(new) + 1)
        kind = rng.choice("dim")
        if kind == "d" and k < len(new):
            del new[k]
        elif kind == "i":
            new.insert(k, rng.choice(EXTRA))
        elif k < len(new):
            new[k] = new[k].replace("1", "0")
    return new


def test_opcodes_rebuild_the_new_text_and_hunks_match_difflib():
    """On 100 corpus nets x 3 random edits: the opcodes turn a into b, change no more
    lines than difflib's exact matching, and group into difflib's hunks when both match
    the same lines."""
    require_corpus()
    rng = random.Random(13)
    for corpus_file in files_of("net")[:100]:
        lines = corpus_file.path.read_text(encoding="utf-8", errors="replace").splitlines(True)
        for _ in range(3):
            new = _mutated(lines, rng)
            ops = opcodes(lines, new)
            rebuilt = [line for tag, i1, i2, j1, j2 in ops for line in new[j1:j2]]
            assert rebuilt == new
            assert all(lines[i1:i2] == new[j1:j2] for tag, i1, i2, j1, j2 in ops if tag == "equal")
            matcher = difflib.SequenceMatcher(None, lines, new, autojunk=False)
            exact = matcher.get_opcodes()
            changed = sum(i2 - i1 for tag, i1, i2, _, _ in ops if tag != "equal")
            assert changed <= sum(i2 - i1 for tag, i1, i2, _, _ in exact if tag != "equal") + 2
            if exact == ops:
                assert hunks(lines, new) == list(matcher.get_grouped_opcodes(3))


def test_diff_headers_of_absolute_and_relative_paths():
    old, new = "a: 1\nb: 2\n", "a: 1\nb: 3\n"
    assert unified_diff(old, new, "/home/me/net.prototxt")[:2] == [
        "--- /home/me/net.prototxt\n", "+++ /home/me/net.prototxt\n"]
    assert unified_diff(old, new, "net.prototxt")[:2] == ["--- a/net.prototxt\n",
                                                          "+++ b/net.prototxt\n"]
    assert unified_diff(old, old, "net.prototxt") == []
