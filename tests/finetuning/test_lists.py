"""Reading image lists: what Caffe's ImageData would misread is refused, naming the lines."""
from __future__ import annotations

import os

import pytest

from prototxt_tools.errors import PtxError
from prototxt_tools.finetuning.lists import LMDB, check_labels, decide_root_folder, read_source


def write(tmp_path, name, text, mode="w"):
    path = tmp_path / name
    path.write_bytes(text.encode()) if mode == "wb" else path.write_text(text)
    return str(path)


def three_classes(per_class=2, start=0):
    return "".join(f"img/{c}_{i}.jpg {c}\n" for c in range(start, start + 3)
                   for i in range(per_class))


def test_counts_classes_and_sortedness(tmp_path):
    source = read_source(write(tmp_path, "t.txt", three_classes(3)), "train")
    assert (source.count, source.classes, source.per_class) == (9, 3, {0: 3, 1: 3, 2: 3})
    assert source.sorted_by_class
    shuffled = "a.jpg 1\nb.jpg 0\nc.jpg 2\n"
    assert not read_source(write(tmp_path, "s.txt", shuffled), "train").sorted_by_class


def test_spaces_in_paths_crlf_and_blank_lines(tmp_path):
    text = "my photos/a b.jpg 0\r\n\r\nc.jpg 1\r\n"
    source = read_source(write(tmp_path, "t.txt", text, "wb"), "train")
    assert source.paths == ["my photos/a b.jpg", "c.jpg"]
    assert source.labels == [0, 1] and source.lines == [1, 3]


@pytest.mark.parametrize("text, line, words", [
    ("a.jpg 0\nb.jpg\t1\n", 2, "tab-separated"),
    ("a.jpg 0\nb.jpg cat\n", 2, "label 'cat' is not an integer"),
    ("a.jpg\n", 1, "no label"),
    ("a.jpg -1\n", 1, "negative"),
    ("a.jpg 0\nb.jpg x\nc.jpg y\n", 2, "also line 3"),
])
def test_malformed_lines_are_refused_at_the_first_offender(tmp_path, text, line, words):
    path = write(tmp_path, "t.txt", text)
    with pytest.raises(PtxError) as info:
        read_source(path, "train")
    assert info.value.line == line and words in info.value.message
    assert str(info.value).startswith(f"{path}:{line}:1: error: ")


def test_labels_must_start_at_zero(tmp_path):
    train = read_source(write(tmp_path, "t.txt", three_classes(start=1)), "train")
    with pytest.raises(PtxError, match="labels start at 1, not 0"):
        check_labels(train, train, None)


def test_a_missing_class_names_the_lines_after_it(tmp_path):
    train = read_source(write(tmp_path, "t.txt", "a.jpg 0\nb.jpg 2\nc.jpg 3\n"), "train")
    with pytest.raises(PtxError) as info:
        check_labels(train, train, None)
    assert "no training image has label 1" in info.value.message and info.value.line == 2


def test_val_labels_beyond_the_classes_are_refused(tmp_path):
    train = read_source(write(tmp_path, "t.txt", three_classes()), "train")
    val = read_source(write(tmp_path, "v.txt", "a.jpg 0\nb.jpg 5\n"), "val")
    with pytest.raises(PtxError) as info:
        check_labels(train, val, None)
    assert info.value.path.endswith("v.txt") and info.value.line == 2
    assert check_labels(train, read_source(write(tmp_path, "w.txt", "a.jpg 2\n"), "val"), None) == 3


def test_classes_given_must_all_have_images(tmp_path):
    train = read_source(write(tmp_path, "t.txt", three_classes()), "train")
    with pytest.raises(PtxError, match="no training image has label 3"):
        check_labels(train, train, 5)
    with pytest.raises(PtxError, match="not below the class count 2"):
        check_labels(train, train, 2)


def test_lmdb_needs_a_class_count(tmp_path):
    folder = tmp_path / "train_lmdb"
    folder.mkdir()
    with pytest.raises(PtxError, match="without data.mdb"):
        read_source(str(folder), "train")
    (folder / "data.mdb").write_bytes(b"\0")
    source = read_source(str(folder), "train")
    assert source.kind == LMDB
    with pytest.raises(PtxError, match="--classes"):
        check_labels(source, source, None)
    assert check_labels(source, source, 4) == 4


def test_unreadable_lists_are_one_line_errors(tmp_path):
    with pytest.raises(PtxError, match="no such file"):
        read_source(str(tmp_path / "missing.txt"), "train")
    with pytest.raises(PtxError, match="binary"):
        read_source(write(tmp_path, "b.txt", "\0\0\0", "wb"), "train")
    with pytest.raises(PtxError, match="lists no images"):
        read_source(write(tmp_path, "e.txt", "\n\n"), "train")


def test_root_folder_is_where_the_images_are(tmp_path, monkeypatch):
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "img").mkdir()
    (tmp_path / "lists" / "img" / "0_0.jpg").write_bytes(b"x")
    source = read_source(write(tmp_path / "lists", "t.txt", three_classes()), "train")
    decide_root_folder(source, str(tmp_path))
    assert source.root_folder == str(tmp_path / "lists") + os.sep
    assert "relative to the list's folder" in source.root_reason
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "0_0.jpg").write_bytes(b"x")
    other = read_source(write(tmp_path, "t.txt", three_classes()), "train")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    decide_root_folder(other, str(tmp_path))
    assert other.root_folder == str(tmp_path) + os.sep
    absolute = read_source(write(tmp_path, "a.txt", f"{tmp_path}/x.jpg 0\n"), "train")
    decide_root_folder(absolute, str(tmp_path))
    assert absolute.root_folder == "" and "absolute" in absolute.root_reason
    nowhere = read_source(write(elsewhere, "n.txt", three_classes()), "train")
    decide_root_folder(nowhere, str(elsewhere))
    assert "NOT verified" in nowhere.root_reason


def test_lmdb_entries_are_read_as_lmdb_reports_them(tmp_path):
    lmdb = pytest.importorskip("lmdb", reason="the lmdb package writes the reference database")
    from prototxt_tools.finetuning.lists import lmdb_entries
    env = lmdb.open(str(tmp_path / "db"), map_size=1 << 22)
    for start, count in ((0, 37), (37, 5)):           # two transactions: the newer meta page wins
        with env.begin(write=True) as txn:
            for i in range(start, start + count):
                txn.put(b"%08d" % i, b"image")
    expected = env.stat()["entries"]
    env.close()
    assert lmdb_entries(str(tmp_path / "db")) == expected == 42
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "data.mdb").write_bytes(b"\0" * 200)
    with pytest.raises(PtxError, match="not an LMDB data file"):
        lmdb_entries(str(tmp_path / "bad"))
