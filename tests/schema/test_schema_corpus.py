"""validate() against protobuf's own text parser and the manifest, over the real corpus."""
from __future__ import annotations

import re

import pytest

from corpus import CORPUS, manifest, params
from prototxt_tools.schema import descriptor_pool_for, load_schema, validate
from prototxt_tools.syntax import ParseError, parse
from prototxt_tools.syntax.cst import Message

pytestmark = pytest.mark.corpus
TOP_TYPE = {"net": "caffe.NetParameter", "solver": "caffe.SolverParameter"}
# Which fork's caffe.proto a repository's files were written for (its schema is in the corpus).
FORK_OF_REPO = {
    "alexgkendall/SegNet-Tutorial": "segnet", "alexgkendall/caffe-segnet": "segnet",
    "TheLegendAli/DeepLab-Context": "deeplab_context", "weiliu89/caffe": "ssd",
    "chuanqi305/MobileNet-SSD": "ssd",  # built on weiliu89's SSD fork
    "senlinuc/caffe_ocr": "caffe_ocr", "yalecyu/crnn.caffe": "crnn", "s9xie/hed": "hed",
}
# Findings accepted on fork files, with the reason: MobileNet-SSD's template/ files hold
# bare placeholders (cls3x, cls6x, cls1x) that its gen.py replaces with numbers.
TEMPLATE_PLACEHOLDER = re.compile(r"`cls\d+x`")
# ${NAME} placeholders (DeepLab's configs) are filled in by its run scripts; to check
# those files at all we put a number where a placeholder stands for a bare value.
BARE_PLACEHOLDER = re.compile(r"(:[ \t]*)\$\{\w+\}")


@pytest.fixture(scope="module")
def bvlc():
    return load_schema(), descriptor_pool_for()


def read_tree(corpus_file, fill_placeholders=False):
    text = corpus_file.path.read_text(encoding="utf-8")
    if fill_placeholders:
        text = BARE_PLACEHOLDER.sub(r"\g<1>1", text)
    try:
        return text, parse(text)
    except ParseError as exc:
        pytest.skip(f"ptx's parser rejects this file ({exc})")


@pytest.mark.parametrize("corpus_file", params("net", "solver"), indirect=True)
def test_validate_agrees_with_protobuf_text_format(corpus_file, bvlc):
    """protobuf parses the file iff validate finds nothing, and its error is our first finding."""
    from google.protobuf import text_format
    schema, classes = bvlc
    text, doc = read_tree(corpus_file)
    type_name = TOP_TYPE[corpus_file.kind]
    problems = validate(doc, schema, type_name, corpus_file.rel)
    try:
        classes.parse_text(type_name, text)
    except text_format.ParseError as exc:
        assert problems, f"protobuf refuses ({exc}) but validate found nothing"
        first = min(problems)
        assert (exc.GetLine(), exc.GetColumn()) == (first.line, first.col), str(exc)
    else:
        assert problems == [], [p.parsable() for p in problems]


def field_paths(node: Message, prefix: str = ""):
    """(line, col) of each field -> its dotted path from the top (``layer.pooling_param``)."""
    for field in node.fields:
        path = prefix + field.name
        yield field.position, path
        for value in field.values():
            if isinstance(value, Message):
                yield from field_paths(value, path + ".")


def manifest_fork_fields(corpus_file) -> set:
    match = re.search(r"fields not in BVLC caffe\.proto: ([^;]*)", corpus_file.notes)
    return set(match.group(1).split(",")) if match else set()


@pytest.mark.parametrize("corpus_file", params("net", "solver"), indirect=True)
def test_unknown_fields_are_the_ones_the_manifest_names(corpus_file, bvlc):
    _, doc = read_tree(corpus_file, fill_placeholders=True)
    where = dict(field_paths(doc))
    problems = validate(doc, bvlc[0], TOP_TYPE[corpus_file.kind])
    named = {where[(p.line, p.col)] for p in problems if p.code == "PTX002"}
    assert named == manifest_fork_fields(corpus_file)


def repo_of(corpus_file) -> str:
    return corpus_file.rel.split("/")[1].split("@")[0].replace("__", "/", 1)


FORK_FILES = [p for p in params("net", "solver")
              if p.values[0] is None or repo_of(p.values[0]) in FORK_OF_REPO]


@pytest.mark.parametrize("corpus_file", FORK_FILES, indirect=True)
def test_fork_files_validate_cleanly_with_their_fork_schema(corpus_file):
    schema = load_schema(CORPUS / "schemas" / f"{FORK_OF_REPO[repo_of(corpus_file)]}_caffe.proto")
    _, doc = read_tree(corpus_file, fill_placeholders=True)
    problems = validate(doc, schema, TOP_TYPE[corpus_file.kind])
    unexplained = [p.parsable() for p in problems
                   if not (p.code == "PTX004" and TEMPLATE_PLACEHOLDER.search(p.message)
                           and "/template/" in corpus_file.rel)]
    assert unexplained == []


def test_many_files_use_fork_fields_and_forks_cover_them():
    """Guard against the tests above passing vacuously."""
    files = [f for f in manifest() if f.kind in TOP_TYPE]
    if not files:
        pytest.skip("corpus absent")
    with_fork_fields = [f for f in files if manifest_fork_fields(f)]
    assert len(with_fork_fields) >= 50
    assert sum(repo_of(f) in FORK_OF_REPO for f in with_fork_fields) >= 25
