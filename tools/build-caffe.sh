#!/usr/bin/env bash
# Build the Caffe that `ptx check` and the oracle test tier run: upstream BVLC Caffe by default,
# or one Caffe fork's own code (the oracle for nets written for that fork).
#
#   tools/build-caffe.sh                         # upstream BVLC 9b89154 -> ${PTX_CAFFE_PREFIX:-~/.cache/ptx/caffe}
#   tools/build-caffe.sh --source DIR|TARBALL    # from a source tree or archive you already have
#   tools/build-caffe.sh --fork NAME             # a fork's pinned commit -> ~/.cache/ptx/caffe-NAME
#   tools/build-caffe.sh --prefix DIR            # install somewhere else
#   PYTHON=python3.11 tools/build-caffe.sh       # the interpreter pycaffe is built for
#
# Forks (NAME, source at the pinned commit, variable overriding the prefix):
#   faster-rcnn  rbgirshick/caffe-fast-rcnn 0dcd397 (py-faster-rcnn's pin)   PTX_CAFFE_FASTER_RCNN_PREFIX
#   segnet       alexgkendall/caffe-segnet 344c113                           PTX_CAFFE_SEGNET_PREFIX
#   pspnet       hszhao/PSPNet 798bdc9                                       PTX_CAFFE_PSPNET_PREFIX
#   ssd          weiliu89/caffe 4817bf8 (branch ssd)                         PTX_CAFFE_SSD_PREFIX
#   rfcn         daijifeng001/caffe-rfcn 543f8f6                             PTX_CAFFE_RFCN_PREFIX
#   rfcn-ms      Microsoft/caffe 1a2be8e (py-R-FCN's pin, OHEM losses)       PTX_CAFFE_RFCN_MS_PREFIX
#   brocolli     PyPI's brocolli-caffe 9.0.2 (tools/build-caffe-brocolli.sh)  PTX_FORK_PREFIX
#
# Source, first found: --source; for upstream ../shared/vendor/bvlc-caffe-9b89154.tar.gz beside
# this repository (CI, development); else the GitHub archive of the pinned commit. CPU only, with
# the Python layer, without OpenCV, LMDB and LevelDB where the tree allows it (the oracle swaps
# data layers for Input). A fork gets only build-compatibility patches, each listed with its
# reason in tools/caffe-forks.sh and tools/caffe-build-common.sh. ccache is used where installed.
# Result, relocatable ($ORIGIN rpaths):
#   PREFIX/python/caffe   pycaffe (PYTHONPATH=PREFIX/python)
#   PREFIX/bin/caffe, upgrade_net_proto_text, upgrade_solver_proto_text, upgrade_net_proto_binary
#     (the upgrade tools the tree has: a 2015 fork has no upgrade_solver_proto_text)
#   PREFIX/lib/libcaffe.so*
# A finished build is reused; a build is staged beside PREFIX and moved into place only once it
# imports and runs, so an interrupted build never looks finished. Missing Debian packages are
# installed with apt-get (root, or sudo). About 5-10 minutes on 2 cores.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
FORK=""
SOURCE=""
PREFIX=""
while [ $# -gt 0 ]; do
  case "$1" in
    --source) SOURCE=${2:?--source needs a directory or tarball}; shift 2 ;;
    --source=*) SOURCE=${1#--source=}; shift ;;
    --fork) FORK=${2:?--fork needs a name}; shift 2 ;;
    --fork=*) FORK=${1#--fork=}; shift ;;
    --prefix) PREFIX=${2:?--prefix needs a directory}; shift 2 ;;
    --prefix=*) PREFIX=${1#--prefix=}; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "build-caffe: error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ "$FORK" = brocolli ]; then
  [ -z "$SOURCE" ] || { echo "build-caffe: error: --source is not for the brocolli fork (its source is PyPI's)" >&2; exit 2; }
  exec "$here/build-caffe-brocolli.sh" "${PREFIX:-${PTX_FORK_PREFIX:-$HOME/.cache/ptx/caffe-brocolli}}"
fi
# shellcheck source=tools/caffe-build-common.sh
. "$here/caffe-build-common.sh"
# shellcheck source=tools/caffe-forks.sh
. "$here/caffe-forks.sh"

RECIPE=2                              # bump when this recipe changes what ends up in PREFIX
PY=${PYTHON:-python3}
if [ -n "$FORK" ]; then
  fork_recipe "$FORK" || { echo "build-caffe: error: unknown fork '$FORK' (known: $KNOWN_FORKS)" >&2; exit 2; }
  PREFIX=${PREFIX:-$FORK_PREFIX}
  STAMP=".ptx-caffe-$FORK-${COMMIT:0:7}-r$RECIPE-f$FORK_RECIPE"
else
  COMMIT=9b89154
  WHAT="upstream BVLC Caffe $COMMIT"
  URL="https://github.com/BVLC/caffe/archive/$COMMIT.tar.gz"
  PREFIX=${PREFIX:-${PTX_CAFFE_PREFIX:-$HOME/.cache/ptx/caffe}}
  STAMP=".ptx-caffe-bvlc-$COMMIT-r$RECIPE"
  CMAKE_OPTIONS="-DUSE_OPENCV=OFF -DUSE_LMDB=OFF -DUSE_LEVELDB=OFF -DUSE_NCCL=OFF"
  PACKAGES=""
  VENDORED="$here/../../shared/vendor/bvlc-caffe-$COMMIT.tar.gz"
  if [ -z "$SOURCE" ] && [ -f "$VENDORED" ]; then SOURCE=$VENDORED; fi
fi

python_packages
if prefix_works "$PREFIX"; then
  say "$WHAT already built in $PREFIX"; exit 0
fi
debian_packages $PACKAGES

# --- Sources ---------------------------------------------------------------------------------------
workspace
unpack_source "$SOURCE" "$URL" "$WHAT"
common_patches
if [ -n "$FORK" ]; then fork_patches "$FORK"; fi

# --- Build -----------------------------------------------------------------------------------------
say "configuring (log: $LOG)"
LAUNCHER=""   # ccache, where installed, makes a repeated build cheap
if command -v ccache >/dev/null; then
  LAUNCHER="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"; export CCACHE_BASEDIR="$WORK"   # same relative paths each build
fi
# shellcheck disable=SC2086  # CMAKE_OPTIONS is a list of options
cmake -S "$SRC" -B "$WORK/build" -DCMAKE_BUILD_TYPE=Release -DCPU_ONLY=ON $CMAKE_OPTIONS $LAUNCHER \
  -DBUILD_docs=OFF -DBUILD_matlab=OFF -DBLAS=Open \
  -DBUILD_python=ON -DBUILD_python_layer=ON -Dpython_version=3 -DPYTHON_EXECUTABLE="$PYEXE" \
  -DBoost_PYTHON_LIBRARY_RELEASE="$BOOST_PYTHON" \
  -DCMAKE_CXX_FLAGS="-std=c++14 -I$NPINC -I$PYINC -Wno-deprecated-declarations" \
  -DCMAKE_INSTALL_PREFIX="$WORK/install" >>"$LOG" 2>&1 || fail "cmake configure failed"
say "compiling Caffe with $(nproc) jobs (a few minutes)"
TOOLS=""   # the upgrade tools this tree has (a 2015 fork has no upgrade_solver_proto_text)
for tool in upgrade_net_proto_text upgrade_solver_proto_text upgrade_net_proto_binary; do
  if [ -f "$SRC/tools/$tool.cpp" ]; then TOOLS="$TOOLS $tool"; fi
done
# shellcheck disable=SC2086  # TOOLS is a list of targets
cmake --build "$WORK/build" -j"$(nproc)" --target caffe pycaffe caffe.bin $TOOLS >>"$LOG" 2>&1 \
  || fail "compilation failed"

# --- Install into a staging prefix, check it, then move into place ----------------------------------
mkdir -p "$STAGE/bin" "$STAGE/lib" "$STAGE/python"
cp -a "$WORK/build/lib/." "$STAGE/lib/"
rm -f "$STAGE/lib/"*.a
cp "$WORK/build/tools/caffe" "$STAGE/bin/caffe"
for tool in $TOOLS; do cp "$WORK/build/tools/$tool" "$STAGE/bin/$tool"; done
cp -r "$SRC/python/caffe" "$STAGE/python/"
rm -rf "$STAGE/python/caffe/test" "$STAGE/python/caffe/_caffe.so" "$STAGE/python/caffe/proto"
cp -L "$STAGE/lib/_caffe.so" "$STAGE/python/caffe/_caffe.so" 2>/dev/null || \
  cp -L "$WORK/build/python/caffe/_caffe.so" "$STAGE/python/caffe/_caffe.so"
rm -f "$STAGE/lib/_caffe.so"
python_proto "$STAGE/python/caffe/proto"
for b in "$STAGE"/bin/*; do patchelf --set-rpath '$ORIGIN/../lib' "$b"; done
patchelf --set-rpath '$ORIGIN/../../lib' "$STAGE/python/caffe/_caffe.so"
lazy_image_imports "$STAGE/python/caffe/io.py"
if [ -n "$FORK" ]; then fork_python_patches "$FORK" "$STAGE/python/caffe"; fi
finish_stage "$WHAT"
