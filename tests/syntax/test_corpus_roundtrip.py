"""Every net, solver and labelmap of the shared corpus parses and renders back byte for byte."""
import pytest

from corpus import params, require_corpus
from prototxt_tools.io import read_source
from prototxt_tools.syntax import ParseError, parse

# Files that really are not valid text format, with the reason and where it fails.
NOT_TEXT_FORMAT = {
    # DeepLab ships templates with ${NUM_LABELS}-style placeholders filled in by its scripts.
    "files/TheLegendAli__DeepLab-Context@different_models/config/DeepLab-LargeFOV/test.prototxt": (400, 17),
    "files/TheLegendAli__DeepLab-Context@different_models/config/DeepLab-MSc-LargeFOV/test.prototxt": (93, 17),
    "files/TheLegendAli__DeepLab-Context@different_models/config/DeepLab-MSc-LargeFOV/train.prototxt": (131, 17),
    "files/TheLegendAli__DeepLab-Context@different_models/config/DeepLab-Weak-EM-Adapt/train.prototxt": (472, 17),
    "files/TheLegendAli__DeepLab-Context/voc12/config/vgg128_noup/test.prototxt": (400, 17),
    "files/TheLegendAli__DeepLab-Context/voc12/config/vgg128_noup/train.prototxt": (473, 17),
}
EMPTY_FILES = {"files/juanluisrosaramos__vgg_faces_fine-tuning/vgg_16.prototxt"}


@pytest.mark.corpus
@pytest.mark.parametrize("entry", params("net", "solver", "labelmap"))
def test_corpus_file_round_trips(entry):
    if entry is None:
        require_corpus()
    raw = entry.path.read_bytes()
    if entry.rel in EMPTY_FILES:
        assert not raw.strip()
        return
    text = read_source(str(entry.path))
    assert text.encode("utf-8") == raw
    if entry.rel in NOT_TEXT_FORMAT:
        with pytest.raises(ParseError) as info:
            parse(text)
        assert (info.value.line, info.value.col) == NOT_TEXT_FORMAT[entry.rel]
        return
    assert parse(text).render() == text


@pytest.mark.corpus
@pytest.mark.parametrize("entry", params("net", "solver"))
def test_comments_are_the_comment_lexemes(entry):
    if entry is None:
        require_corpus()
    if entry.rel in EMPTY_FILES or entry.rel in NOT_TEXT_FORMAT:
        return
    doc = parse(read_source(str(entry.path)))
    starts = doc.stream.starts
    expected = [(starts[i], t) for i, t in enumerate(doc.stream.texts) if t[0] == "#"]
    assert list(doc.comments()) == expected
