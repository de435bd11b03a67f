"""ptx draw: diagram model, DOT, colours on the rendered SVG, corpus nets in both phases."""
from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from corpus import REPO, params
from prototxt_tools.api import load
from prototxt_tools.cli import main
from prototxt_tools.draw import diagram_for, to_dot
from prototxt_tools.draw.dot import FILL
from prototxt_tools.draw.html import to_html
from prototxt_tools.errors import PtxError

BASE = str(REPO / "fixtures" / "finetune" / "base.prototxt")
TUNED = str(REPO / "fixtures" / "finetune" / "tuned.prototxt")
needs_dot = pytest.mark.skipif(shutil.which("dot") is None and not os.environ.get("CI"),  # CI must run it
                               reason="Graphviz 'dot' not installed (apt-get install graphviz)")


def nodes(diagram):
    return {n.name: n for n in diagram.nodes}


def test_statuses_with_base():
    found = nodes(diagram_for(load(TUNED), "TRAIN", base=BASE))
    assert found["conv1"].status == "frozen"
    assert found["conv2"].status == "trainable"
    assert found["reduce"].status == "fresh" and found["fc_flowers"].status == "fresh"
    assert found["fc_flowers"].boosted
    assert found["pool1"].status == "plain"
    assert found["conv1"].folded == ["relu1 (ReLU)"] and "relu1" not in found


def test_boosted_without_base_and_shapes_on_edges():
    diagram = diagram_for(load(TUNED), "TRAIN")
    assert nodes(diagram)["fc_flowers"].status == "boosted"
    edges = {(e.blob, e.shape) for e in diagram.edges}
    assert ("pool1", "8x16x16x16") in edges and ("fc_flowers", "8x17") in edges


def test_usual_bias_rate_is_not_a_boost():
    """lr_mult 1 (weights) / 2 (bias) is the standard convention; only the new head is boosted."""
    flickr = str(REPO / "fixtures" / "flickr_style" / "train_val.prototxt")
    caffenet = str(REPO / "fixtures" / "caffenet" / "train_val.prototxt")
    found = nodes(diagram_for(load(flickr), "TRAIN", base=caffenet))
    assert found["conv1"].status == "trainable" and not found["conv1"].boosted
    assert found["fc8_flickr"].status == "fresh" and found["fc8_flickr"].boosted


def test_test_phase_includes_accuracy():
    assert "accuracy" in nodes(diagram_for(load(TUNED), "TEST"))
    assert "accuracy" not in nodes(diagram_for(load(TUNED), "TRAIN"))


def _svg_fill(svg, node_id):
    group = re.search(r'<g id="%s" class="node[^"]*">(.*?)</g>' % node_id, svg, re.S)
    assert group, node_id
    return re.search(r'fill="([^"]+)"', group.group(1)).group(1).lower()


@needs_dot
def test_colours_on_rendered_svg(tmp_path):
    out = tmp_path / "tuned.svg"
    assert main(["draw", TUNED, "--base", BASE, "-o", str(out)]) == 0
    svg = out.read_text()
    ids = {n.name: n.id for n in diagram_for(load(TUNED), "TRAIN", base=BASE).nodes}
    assert _svg_fill(svg, ids["conv1"]) == FILL["frozen"]
    assert _svg_fill(svg, ids["conv2"]) == FILL["trainable"]
    assert _svg_fill(svg, ids["fc_flowers"]) == FILL["fresh"]
    assert _svg_fill(svg, ids["reduce"]) == FILL["fresh"]
    plain = tmp_path / "plain.svg"
    assert main(["draw", TUNED, "-o", str(plain)]) == 0
    assert _svg_fill(plain.read_text(), ids["fc_flowers"]) == FILL["boosted"]
    assert "legend_boosted" in svg and "8x16x16x16" in svg


@needs_dot
@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_binary_formats(tmp_path, fmt):
    out = tmp_path / f"n.{fmt}"
    assert main(["draw", BASE, "-o", str(out)]) == 0
    assert out.read_bytes()[:4] in (b"\x89PNG", b"%PDF")


def test_dot_and_html_without_graphviz(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))   # no dot on PATH
    assert main(["draw", BASE, "-o", str(tmp_path / "n.dot")]) == 0
    assert (tmp_path / "n.dot").read_text().startswith('digraph "SmallNet (TRAIN)"')
    assert main(["draw", BASE, "-o", str(tmp_path / "n.html")]) == 0
    assert main(["draw", BASE, "-o", str(tmp_path / "n.svg")]) == 2
    err = capsys.readouterr().err
    assert "apt-get install graphviz" in err and err.count("\n") == 1


def test_html_is_self_contained(tmp_path):
    out = tmp_path / "n.html"
    assert main(["draw", TUNED, "--base", BASE, "-o", str(out)]) == 0
    page = out.read_text()
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page and "<link" not in page and "src=" not in page
    assert page.count('class="node') == len(diagram_for(load(TUNED), "TRAIN").nodes)


def test_bad_format_and_input(tmp_path, capsys):
    assert main(["draw", BASE, "-o", str(tmp_path / "n.gif")]) == 2
    solver = tmp_path / "s.prototxt"
    solver.write_text('base_lr: 0.1\nnet: "n.prototxt"\n')
    assert main(["draw", str(solver), "-o", str(tmp_path / "n.dot")]) == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.corpus
@pytest.mark.parametrize("corpus_file", params("net"), indirect=True)
def test_corpus_net_draws_in_both_phases(corpus_file):
    try:
        ptx_file = load(str(corpus_file.path))
        ptx_file.net
    except PtxError as exc:
        pytest.skip(f"not loadable: {exc}")
    for phase in ("TRAIN", "TEST"):
        diagram = diagram_for(ptx_file, phase, lint=False)
        text = to_dot(diagram)
        assert text.startswith("digraph") and text.rstrip().endswith("}")
        page = to_html(diagram)      # unknown shapes once made this a TypeError (issue 13 item 7)
        assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
        ids = {n.id for n in diagram.nodes}
        assert all(e.source in ids and e.target in ids for e in diagram.edges)


@needs_dot
@pytest.mark.corpus
def test_corpus_sample_renders_with_dot():
    from corpus import files_of
    nets = [f for f in files_of("net") if "v2" in f.format][:5]
    if not nets:
        pytest.skip("no corpus")
    for net in nets:
        try:
            ptx_file = load(str(net.path))
        except PtxError:
            continue
        done = subprocess.run(["dot", "-Tsvg"], input=to_dot(diagram_for(ptx_file, lint=False)),
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and "<svg" in done.stdout, done.stderr
