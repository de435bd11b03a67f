"""Atomic writes (io.write_atomic / io.atomic_file): all or nothing, mode kept, symlinks followed."""
import os
import stat

import pytest

from prototxt_tools.errors import PtxError
from prototxt_tools.io import atomic_file, write_atomic


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_text_and_bytes_replace_the_file_and_keep_its_mode(tmp_path):
    target = tmp_path / "net.prototxt"
    target.write_text("old\n")
    os.chmod(target, 0o640)
    write_atomic(str(target), "new\r\n")
    assert target.read_bytes() == b"new\r\n" and _mode(target) == 0o640
    write_atomic(str(target), b"\x89PNG\x00")
    assert target.read_bytes() == b"\x89PNG\x00" and _mode(target) == 0o640
    assert os.listdir(tmp_path) == ["net.prototxt"]


def test_a_new_file_gets_the_umask_mode(tmp_path):
    umask = os.umask(0o022)
    try:
        write_atomic(str(tmp_path / "new.svg"), b"<svg/>")
    finally:
        os.umask(umask)
    assert _mode(tmp_path / "new.svg") == 0o644


def test_a_failure_inside_the_block_leaves_the_old_file_and_no_temp_file(tmp_path):
    target = tmp_path / "model.caffemodel"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_file(str(target), binary=True) as (fh, temp_path):
            fh.write(b"half of the new")
            assert os.path.exists(temp_path)
            raise RuntimeError("verification failed")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["model.caffemodel"]


def test_a_symlink_is_followed_not_replaced(tmp_path):
    real = tmp_path / "real.prototxt"
    real.write_text("old")
    link = tmp_path / "link.prototxt"
    link.symlink_to(real)
    write_atomic(str(link), "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_a_missing_folder_is_a_one_line_error(tmp_path):
    with pytest.raises(PtxError) as info:
        write_atomic(str(tmp_path / "no" / "such" / "out.svg"), b"x")
    assert str(info.value).startswith(str(tmp_path / "no" / "such" / "out.svg"))
    assert "cannot write" in str(info.value)
