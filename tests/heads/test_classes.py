"""--labels FILE: labelmaps, class-name lists, ``path label`` lists; background noted."""
from __future__ import annotations

import pytest

from corpus import CORPUS, require_corpus
from prototxt_tools.errors import PtxError
from prototxt_tools.heads.classes import from_count, from_labels


def _write(tmp_path, text, name="labels.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("rel,count", [
    ("chuanqi305__MobileNet-SSD/create_lmdb/code/labelmap.prototxt", 5),  # car, bus...
    ("weiliu89__caffe/data/VOC0712/labelmap_voc.prototxt", 20),
])
def test_labelmap_counts_background_apart(rel, count):
    require_corpus()
    classes = from_labels(str(CORPUS / "files" / rel))
    assert (classes.count, classes.background_listed) == (count, True)
    assert classes.with_background()[0] == count + 1 == classes.as_listed()[0]


def test_names_file(tmp_path):
    classes = from_labels(_write(tmp_path, "cat\ndog\n\nbird\n"))
    assert (classes.count, classes.background_listed) == (3, False)
    assert classes.with_background() == (4, "3 classes + background")
    assert classes.as_listed() == (3, "")


def test_names_file_with_background(tmp_path):
    classes = from_labels(_write(tmp_path, "__background__\ncat\ndog\n"))
    assert (classes.count, classes.background_listed) == (2, True)
    assert classes.as_listed()[0] == 3 and classes.with_background()[0] == 3


def test_path_label_list(tmp_path):
    assert from_labels(_write(tmp_path, "a.jpg 0\nb.jpg 4\nc.jpg 2\n")).count == 5


@pytest.mark.parametrize("text", ["", "img/a.png lbl/a.png\nimg/b.png lbl/b.png\n"])
def test_files_naming_no_count_refused(tmp_path, text):
    with pytest.raises(PtxError):
        from_labels(_write(tmp_path, text))


def test_missing_file_and_bad_count(tmp_path):
    with pytest.raises(PtxError):
        from_labels(str(tmp_path / "absent.txt"))
    for bad in (0, -3, True, 2.5):
        with pytest.raises(PtxError):
            from_count(bad)


def test_written_labelmap_reads_back_with_background(tmp_path, capsys):
    """--write-labelmap: the names as an SSD labelmap, background 0; read back as --labels."""
    from prototxt_tools.cli import main
    from prototxt_tools.net.labelmap import LabelMap
    import prototxt_tools
    require_corpus()
    names = _write(tmp_path, "cat\ndog 2\n")
    net = str(CORPUS / "files/chuanqi305__MobileNet-SSD/voc/MobileNetSSD_deploy.prototxt")
    out, labelmap = tmp_path / "deploy.prototxt", tmp_path / "labelmap.prototxt"
    assert main(["edit", net, "--replace-head", "-", "--labels", names,
                 "--write-labelmap", str(labelmap), "-o", str(out)]) == 0
    items = LabelMap(prototxt_tools.load(str(labelmap)).doc).items
    assert [(i.label, i.display_name) for i in items] == [(0, "background"), (1, "cat"),
                                                           (2, "dog 2")]
    again = from_labels(str(labelmap))
    assert (again.count, again.background_listed) == (2, True)
    assert 'num_classes: 3' in out.read_text(encoding="utf-8")
    assert main(["edit", net, "--replace-head", "2", "--write-labelmap", str(labelmap),
                 "-o", str(out)]) == 2   # no --labels: nothing to write


@pytest.mark.parametrize("rel,said", [
    ("CSAILVision__places365/IO_places365.txt", "the labels start at 1, not 0"),   # 1/2 was 3
    ("BVLC__caffe/src/caffe/test/test_data/sample_data_list.txt",                  # was 2
     r"a list of files \(src/caffe/test/test_data/sample_data.h5\.\.\.\), not class names"),
])
def test_corpus_label_files_that_name_no_count_are_refused(rel, said):
    """Found by sweeping --labels over the corpus's label files: a 1-based list and an
    HDF5Data source list gave a class count silently."""
    require_corpus()
    with pytest.raises(PtxError, match=said):
        from_labels(str(CORPUS / "files" / rel))
