"""The HTML diagram in headless Chromium: screenshot shows the coloured layers, the DOM
after scripts ran holds every expected layer and the parameter panel works."""
from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from corpus import REPO
from prototxt_tools.cli import main
from prototxt_tools.draw.dot import FILL

BASE = str(REPO / "fixtures" / "finetune" / "base.prototxt")
TUNED = str(REPO / "fixtures" / "finetune" / "tuned.prototxt")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"),  # CI must run it
                                reason="Chromium not installed (apt-get install chromium)")


def chromium(tmp_path, *args):
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}",
               "--window-size=1200,900", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


@pytest.fixture
def page(tmp_path):
    out = tmp_path / "tuned.html"
    assert main(["draw", TUNED, "--base", BASE, "-o", str(out)]) == 0
    return out


def test_dom_shows_layers_and_panel(page, tmp_path):
    done = chromium(tmp_path, "--virtual-time-budget=3000", "--dump-dom",
                    page.as_uri() + "#select=fc_flowers")
    dom = done.stdout
    assert done.returncode == 0, done.stderr[-500:]
    for name in ("conv1", "pool1", "conv2", "reduce", "fc_flowers", "loss"):
        assert f'data-name="{name}"' in dom
    assert 'data-name="relu1"' not in dom and "+ relu1 (ReLU)" in dom   # folded in place
    panel = dom[dom.index('id="panel"'):]
    assert "<dd>InnerProduct</dd>" in panel and "num_output=17" in panel
    assert "starts from its filler" in panel and "10/1 20/0" in panel


def test_screenshot_shows_coloured_layers(page, tmp_path):
    image_module = pytest.importorskip("PIL.Image")
    shot = tmp_path / "shot.png"
    done = chromium(tmp_path, f"--screenshot={shot}", page.as_uri())
    assert shot.is_file(), done.stderr[-500:]
    image = image_module.open(shot).convert("RGB")
    colours = {c for _, c in image.getcolors(maxcolors=1 << 20)}

    def present(hex_colour):
        rgb = tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        return rgb in colours

    for status in ("frozen", "trainable", "fresh"):
        assert present(FILL[status]), status
    counts = dict((c, n) for n, c in image.getcolors(maxcolors=1 << 20))
    fresh = tuple(int(FILL["fresh"][i:i + 2], 16) for i in (1, 3, 5))
    legend_only = 150 * 20
    assert counts[fresh] > legend_only   # the fresh layers themselves, not just the legend chip
