#!/usr/bin/env bash
# Build the Caffe that `ptx check` and the oracle test tier run: upstream BVLC Caffe by default.
#
#   tools/build-caffe.sh                         # upstream BVLC 9b89154 -> ${PTX_CAFFE_PREFIX:-~/.cache/ptx/caffe}
#   tools/build-caffe.sh --source DIR|TARBALL    # upstream from a source tree or archive you already have
#   tools/build-caffe.sh --fork brocolli         # PyPI's brocolli-caffe fork -> ${PTX_FORK_PREFIX:-~/.cache/ptx/caffe-brocolli}
#   tools/build-caffe.sh --prefix DIR            # install somewhere else
#   PYTHON=python3.11 tools/build-caffe.sh       # the interpreter pycaffe is built for
#
# Upstream source, first found: --source; ../shared/vendor/bvlc-caffe-9b89154.tar.gz beside this
# repository (CI, development); else the archive of commit 9b89154 downloaded from GitHub.
# CPU only, without OpenCV, LMDB and LevelDB (the oracle swaps data layers for Input), with the
# Python layer. Result, relocatable ($ORIGIN rpaths):
#   PREFIX/python/caffe   pycaffe (PYTHONPATH=PREFIX/python)
#   PREFIX/bin/caffe, upgrade_net_proto_text, upgrade_solver_proto_text, upgrade_net_proto_binary
#   PREFIX/lib/libcaffe.so*
# A finished build is reused; a build is staged beside PREFIX and moved into place only once it
# imports and runs, so an interrupted build never looks finished. Missing Debian packages are
# installed with apt-get (root, or sudo). About 5 minutes on 2 cores.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
COMMIT=9b89154
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
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-caffe: error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [ -n "$FORK" ]; then
  [ "$FORK" = brocolli ] || { echo "build-caffe: error: unknown fork '$FORK' (known: brocolli)" >&2; exit 2; }
  [ -z "$SOURCE" ] || { echo "build-caffe: error: --source is for upstream builds" >&2; exit 2; }
  exec "$here/build-caffe-brocolli.sh" "${PREFIX:-${PTX_FORK_PREFIX:-$HOME/.cache/ptx/caffe-brocolli}}"
fi

RECIPE=2                              # bump when this recipe changes what ends up in PREFIX
PREFIX=${PREFIX:-${PTX_CAFFE_PREFIX:-$HOME/.cache/ptx/caffe}}
PY=${PYTHON:-python3}
STAMP=".ptx-caffe-bvlc-$COMMIT-r$RECIPE"

say() { echo "build-caffe: $*"; }
die() { echo "build-caffe: error: $*" >&2; exit 1; }

prefix_works() {
  [ -f "$1/$STAMP" ] || return 1
  PYTHONPATH="$1/python" GLOG_minloglevel=2 "$PY" -c "import caffe" >/dev/null 2>&1 || return 1
  "$1/bin/caffe" --version >/dev/null 2>&1 || return 1
  [ -x "$1/bin/upgrade_net_proto_text" ]
}

command -v "$PY" >/dev/null || die "no Python interpreter '$PY' (set PYTHON=...)"
# --- Python packages pycaffe imports ---------------------------------------------------------------
for module in numpy six google.protobuf; do
  if ! "$PY" -c "import $module" >/dev/null 2>&1; then
    pkg=${module#google.}; say "installing Python package $pkg"
    "$PY" -m pip install -q "$pkg" || die "pip install $pkg failed"
  fi
done
if prefix_works "$PREFIX"; then
  say "upstream BVLC Caffe ($COMMIT) already built in $PREFIX"; exit 0
fi

# --- Debian packages -------------------------------------------------------------------------------
PYVER=$("$PY" -c 'import sys; print("%d%d" % sys.version_info[:2])')
packages="g++ make cmake patchelf protobuf-compiler libprotobuf-dev libgoogle-glog-dev libgflags-dev
          libopenblas-dev libhdf5-dev libboost-system-dev libboost-thread-dev libboost-filesystem-dev
          libboost-regex-dev libboost-python-dev"
PYINC=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
[ -f "$PYINC/Python.h" ] || packages="$packages python3-dev"
missing=$(for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done | tr '\n' ' ')
if [ -n "${missing// }" ]; then
  say "installing Debian packages: $missing"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null \
    || die "apt-get install failed for: $missing"
fi
[ -f "$PYINC/Python.h" ] || die "no Python.h for $PY in $PYINC (install that Python's headers)"
MULTIARCH=$(gcc -print-multiarch 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
BOOST_PYTHON=/usr/lib/$MULTIARCH/libboost_python$PYVER.so
[ -f "$BOOST_PYTHON" ] || die "$BOOST_PYTHON is missing: Debian's Boost.Python does not support \
Python ${PYVER:0:1}.${PYVER:1}; run this script with PYTHON=/usr/bin/python3"
NPINC=$("$PY" -c 'import numpy; print(numpy.get_include())')
PYEXE=$("$PY" -c 'import sys; print(sys.executable)')

# --- Sources ---------------------------------------------------------------------------------------
mkdir -p "$(dirname "$PREFIX")"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ptx-caffe-build.XXXXXX")
STAGE="$PREFIX.partial.$$"
cleanup() { rm -rf "$WORK" "$STAGE"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
LOG="$WORK/build.log"
fail() { tail -n 40 "$LOG" >&2 || true; cp "$LOG" "$PREFIX.build.log" 2>/dev/null && \
         echo "build-caffe: full log: $PREFIX.build.log" >&2; die "$1"; }

SRC="$WORK/src"
mkdir -p "$SRC"
VENDORED="$here/../../shared/vendor/bvlc-caffe-$COMMIT.tar.gz"
if [ -z "$SOURCE" ] && [ -f "$VENDORED" ]; then SOURCE=$VENDORED; fi
if [ -z "$SOURCE" ]; then
  URL="https://github.com/BVLC/caffe/archive/$COMMIT.tar.gz"
  say "downloading upstream BVLC Caffe $COMMIT from $URL"
  SOURCE="$WORK/caffe-$COMMIT.tar.gz"
  if command -v curl >/dev/null; then curl -fsSL -o "$SOURCE" "$URL" || die "could not download $URL (use --source)"
  else "$PY" -c "import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])" "$URL" "$SOURCE" \
         || die "could not download $URL (use --source)"; fi
fi
if [ -d "$SOURCE" ]; then
  say "upstream source: directory $SOURCE"
  cp -a "$SOURCE/." "$SRC/"
elif [ -f "$SOURCE" ]; then
  say "upstream source: $SOURCE"
  tar xzf "$SOURCE" -C "$SRC" --strip-components=1 || die "cannot unpack $SOURCE"
else
  die "no such source: $SOURCE"
fi
[ -f "$SRC/src/caffe/net.cpp" ] && [ -f "$SRC/CMakeLists.txt" ] || die "$SOURCE does not look like a Caffe source tree"
# Trimmed snapshots leave out directories the top CMakeLists.txt still adds.
for d in examples matlab docs; do mkdir -p "$SRC/$d"; [ -f "$SRC/$d/CMakeLists.txt" ] || : >"$SRC/$d/CMakeLists.txt"; done
# Build compatibility only, no change in behaviour: protobuf >= 3.6 has a one-argument
# SetTotalBytesLimit (the dropped second argument was a warning threshold).
sed -i 's/SetTotalBytesLimit(kProtoReadBytesLimit, 536870912)/SetTotalBytesLimit(kProtoReadBytesLimit)/' \
  "$SRC/src/caffe/util/io.cpp"

# --- Build -----------------------------------------------------------------------------------------
say "configuring (log: $LOG)"
cmake -S "$SRC" -B "$WORK/build" -DCMAKE_BUILD_TYPE=Release -DCPU_ONLY=ON -DUSE_OPENCV=OFF \
  -DUSE_LMDB=OFF -DUSE_LEVELDB=OFF -DUSE_NCCL=OFF -DBUILD_docs=OFF -DBUILD_matlab=OFF -DBLAS=Open \
  -DBUILD_python=ON -DBUILD_python_layer=ON -Dpython_version=3 -DPYTHON_EXECUTABLE="$PYEXE" \
  -DBoost_PYTHON_LIBRARY_RELEASE="$BOOST_PYTHON" \
  -DCMAKE_CXX_FLAGS="-std=c++14 -I$NPINC -I$PYINC -Wno-deprecated-declarations" \
  -DCMAKE_INSTALL_PREFIX="$WORK/install" >>"$LOG" 2>&1 || fail "cmake configure failed"
say "compiling Caffe with $(nproc) jobs (a few minutes)"
cmake --build "$WORK/build" -j"$(nproc)" --target caffe pycaffe caffe.bin upgrade_net_proto_text \
  upgrade_solver_proto_text upgrade_net_proto_binary >>"$LOG" 2>&1 || fail "compilation failed"

# --- Install into a staging prefix, check it, then move into place ----------------------------------
mkdir -p "$STAGE/bin" "$STAGE/lib" "$STAGE/python"
cp -a "$WORK/build/lib/." "$STAGE/lib/"
rm -f "$STAGE/lib/"*.a
cp "$WORK/build/tools/caffe" "$STAGE/bin/caffe"
for tool in upgrade_net_proto_text upgrade_solver_proto_text upgrade_net_proto_binary; do
  cp "$WORK/build/tools/$tool" "$STAGE/bin/$tool"
done
cp -r "$SRC/python/caffe" "$STAGE/python/"
rm -rf "$STAGE/python/caffe/test" "$STAGE/python/caffe/_caffe.so" "$STAGE/python/caffe/proto"
cp -L "$STAGE/lib/_caffe.so" "$STAGE/python/caffe/_caffe.so" 2>/dev/null || \
  cp -L "$WORK/build/python/caffe/_caffe.so" "$STAGE/python/caffe/_caffe.so"
rm -f "$STAGE/lib/_caffe.so"
# caffe_pb2.py from the protoc that matches this Python's protobuf runtime (grpcio-tools, a ptx
# dependency) where there is one: Debian's older protoc writes code newer runtimes refuse.
mkdir -p "$STAGE/python/caffe/proto"; : >"$STAGE/python/caffe/proto/__init__.py"
if "$PY" -c "import grpc_tools.protoc" >/dev/null 2>&1; then
  "$PY" -m grpc_tools.protoc --python_out="$STAGE/python/caffe/proto" -I"$SRC/src/caffe/proto" \
    "$SRC/src/caffe/proto/caffe.proto" >>"$LOG" 2>&1 || fail "protoc (grpcio-tools) failed on caffe.proto"
else
  protoc --python_out="$STAGE/python/caffe/proto" -I"$SRC/src/caffe/proto" "$SRC/src/caffe/proto/caffe.proto" \
    >>"$LOG" 2>&1 || fail "protoc failed on caffe.proto"
fi
for b in "$STAGE"/bin/*; do patchelf --set-rpath '$ORIGIN/../lib' "$b"; done
patchelf --set-rpath '$ORIGIN/../../lib' "$STAGE/python/caffe/_caffe.so"
# caffe/io.py imports scikit-image and scipy at module level for image helpers that loading,
# running and training nets never use; make those imports lazy so `import caffe` needs neither.
"$PY" - "$STAGE/python/caffe/io.py" <<'PYEDIT'
import re, sys
path = sys.argv[1]
text = open(path).read()
optional = ("import skimage.io", "from scipy.ndimage import zoom", "from skimage.transform import resize")
for line in optional:
    guarded = "try:  # ptx: optional, only the image helpers need it\n    %s\nexcept ImportError:\n    pass\n" % line
    text, n = re.subn("^" + re.escape(line) + "\n", guarded, text, count=1, flags=re.M)
    if n != 1:
        sys.exit("build-caffe: unexpected caffe/io.py header; recipe needs updating")
open(path, "w").write(text)
PYEDIT
PYTHONPATH="$STAGE/python" GLOG_minloglevel=2 "$PY" -c \
  "import caffe; caffe.set_mode_cpu(); types = caffe.layer_type_list(); assert 'Convolution' in types and 'Python' in types" \
  || fail "the built pycaffe does not import"
"$STAGE/bin/caffe" --version >/dev/null 2>&1 || die "the built caffe tool does not run"
echo "$COMMIT" >"$STAGE/$STAMP"
rm -rf "$PREFIX"
mv "$STAGE" "$PREFIX"
say "done: upstream BVLC Caffe $COMMIT; PYTHONPATH=$PREFIX/python, tools in $PREFIX/bin"
