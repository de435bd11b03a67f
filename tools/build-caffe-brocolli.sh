#!/usr/bin/env bash
# Build the brocolli-caffe FORK (CPU only): the fork oracle for layer types upstream BVLC lacks.
# Not the reference Caffe (tools/build-caffe.sh builds upstream); run it through that script:
#
#   tools/build-caffe.sh --fork brocolli [--prefix DIR]   # default ${PTX_FORK_PREFIX:-~/.cache/ptx/caffe-brocolli}
#   tools/build-caffe-brocolli.sh PREFIX                  # the same, PREFIX required
#
# Source: PyPI's `brocolli-caffe` sdist, a fork of BVLC Caffe trimmed to the core layers (no
# OpenCV, LMDB or LevelDB) with ~20 extra layer types (SSD, R-FCN, SegNet...) and changed checks
# (Eltwise shapes, BatchNorm param specs); built with Debian's libraries. Its own CMake only makes the
# Python module, so we add (via a CMake file included at configure time) a shared libcaffe, the
# command-line tools, and a pycaffe that links libcaffe instead of compiling every source twice.
#
# Result (relocatable: rpaths are $ORIGIN-relative):
#   PREFIX/python/caffe        pycaffe          (PYTHONPATH=PREFIX/python)
#   PREFIX/bin/caffe, upgrade_net_proto_text, upgrade_solver_proto_text, upgrade_net_proto_binary
#   PREFIX/lib/libcaffe.so*
# A finished build is reused. A build is staged next to PREFIX and moved into place only once it
# works, so an interrupted build never looks finished. Missing Debian packages are installed with
# apt-get (root, or sudo when available). About 5 minutes on 2 cores.
set -euo pipefail

VERSION=9.0.2
RECIPE=1                              # bump when this recipe changes what ends up in PREFIX
PREFIX=${1:?usage: build-caffe-brocolli.sh PREFIX (or tools/build-caffe.sh --fork brocolli)}
PY=${PYTHON:-python3}
STAMP=".ptx-caffe-brocolli-$VERSION-r$RECIPE"

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
  say "brocolli-caffe fork already built in $PREFIX"; exit 0
fi

# --- Debian packages -------------------------------------------------------------------------------
PYVER=$("$PY" -c 'import sys; print("%d%d" % sys.version_info[:2])')
packages="g++ make cmake protobuf-compiler libprotobuf-dev libgoogle-glog-dev libgflags-dev
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

say "downloading brocolli-caffe==$VERSION (a Caffe fork) source from PyPI"
"$PY" -m pip download -q --no-deps --no-binary :all: -d "$WORK" \
  "brocolli-caffe==$VERSION" >"$LOG" 2>&1 || fail "could not download brocolli-caffe==$VERSION"
tar xzf "$WORK/brocolli-caffe-$VERSION.tar.gz" -C "$WORK"
SRC="$WORK/brocolli-caffe-$VERSION"

cat >"$WORK/ptx-extras.cmake" <<'CMAKE'
# Added by ptx's tools/build-caffe.sh: shared libcaffe, command-line tools, pycaffe linked to libcaffe.
file(GLOB_RECURSE ptx_caffe_srcs "${PROJECT_SOURCE_DIR}/src/caffe/*.cpp")
list(FILTER ptx_caffe_srcs EXCLUDE REGEX "/src/caffe/test/")
set(ptx_deps glog gflags protobuf boost_system boost_thread boost_filesystem boost_regex
    hdf5_serial_hl hdf5_serial openblas Threads::Threads)
add_library(caffe SHARED ${ptx_caffe_srcs})
# src/ for src/gtest/gtest.h, which the fork's net.cpp includes through test_caffe_main.hpp
target_include_directories(caffe PUBLIC "${PROJECT_SOURCE_DIR}/include" "${PROJECT_SOURCE_DIR}/src")
target_link_libraries(caffe PRIVATE proto ${ptx_deps})
set_target_properties(caffe PROPERTIES VERSION 1.0.0 SOVERSION 1.0.0
  LIBRARY_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/ptx/lib")

file(GLOB_RECURSE ptx_python_srcs "${PROJECT_SOURCE_DIR}/python/*.cpp")
set_property(TARGET pycaffe PROPERTY SOURCES ${ptx_python_srcs})
# Not `proto` again: a second copy of caffe.pb.o would register caffe.proto twice and abort at import.
set_property(TARGET pycaffe PROPERTY LINK_LIBRARIES caffe ${PTX_BOOST_PYTHON} ${ptx_deps})
set_target_properties(pycaffe PROPERTIES BUILD_WITH_INSTALL_RPATH TRUE INSTALL_RPATH "\$ORIGIN/../../lib")

foreach(tool caffe upgrade_net_proto_text upgrade_solver_proto_text upgrade_net_proto_binary)
  add_executable(ptx_tool_${tool} "${PROJECT_SOURCE_DIR}/tools/${tool}.cpp")
  target_link_libraries(ptx_tool_${tool} PRIVATE caffe ${ptx_deps})  # caffe.pb.o comes with libcaffe
  set_target_properties(ptx_tool_${tool} PROPERTIES OUTPUT_NAME ${tool}
    RUNTIME_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/ptx/bin"
    BUILD_WITH_INSTALL_RPATH TRUE INSTALL_RPATH "\$ORIGIN/../lib")
endforeach()
CMAKE
echo "include(\"$WORK/ptx-extras.cmake\")" >>"$SRC/CMakeLists.txt"

# --- Build -----------------------------------------------------------------------------------------
say "configuring (log: build.log in $WORK)"
cmake -S "$SRC" -B "$SRC/build" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="-I$NPINC -I$PYINC -I/usr/include/hdf5/serial" \
  -DPTX_BOOST_PYTHON="$BOOST_PYTHON" >>"$LOG" 2>&1 || fail "cmake configure failed"
say "compiling Caffe with $(nproc) jobs (a few minutes)"
cmake --build "$SRC/build" -j"$(nproc)" --target pycaffe ptx_tool_caffe ptx_tool_upgrade_net_proto_text \
  ptx_tool_upgrade_solver_proto_text ptx_tool_upgrade_net_proto_binary >>"$LOG" 2>&1 || fail "compilation failed"

# --- Install into a staging prefix, check it, then move into place ----------------------------------
mkdir -p "$STAGE/bin" "$STAGE/lib" "$STAGE/python"
cp -a "$SRC/build/ptx/bin/." "$STAGE/bin/"
cp -a "$SRC/build/ptx/lib/." "$STAGE/lib/"
cp -r "$SRC/python/caffe" "$STAGE/python/"
rm -rf "$STAGE/python/caffe/test" "$STAGE/python/caffe/_caffe.so"
cp -L "$SRC/build/lib/_caffe.so" "$STAGE/python/caffe/_caffe.so"
if [ ! -f "$STAGE/python/caffe/proto/caffe_pb2.py" ]; then
  mkdir -p "$STAGE/python/caffe/proto"; : >"$STAGE/python/caffe/proto/__init__.py"
  protoc --python_out="$STAGE/python/caffe/proto" -I"$SRC/src/caffe/proto" "$SRC/src/caffe/proto/caffe.proto"
fi
# caffe/io.py imports scikit-image and scipy at module level for image helpers that loading,
# running and training nets never use; make those imports lazy so `import caffe` needs neither.
"$PY" - "$STAGE/python/caffe/io.py" <<'PYEDIT'
import re, sys
path = sys.argv[1]
text = open(path).read()
guarded = ("try:  # ptx: optional, only the image helpers need them\n"
           "    import skimage.io\n    from scipy.ndimage import zoom\n"
           "except ImportError:\n    pass\n")
text, n = re.subn(r"^import skimage\.io\nfrom scipy\.ndimage import zoom\n", guarded, text, flags=re.M)
if n != 1:
    sys.exit("build-caffe: unexpected caffe/io.py header; recipe needs updating")
open(path, "w").write(text)
PYEDIT
PYTHONPATH="$STAGE/python" GLOG_minloglevel=2 "$PY" -c \
  "import caffe; caffe.set_mode_cpu(); assert 'Convolution' in caffe.layer_type_list()" \
  || die "the built pycaffe does not import"
"$STAGE/bin/caffe" --version >/dev/null 2>&1 || die "the built caffe tool does not run"
touch "$STAGE/$STAMP"
rm -rf "$PREFIX"
mv "$STAGE" "$PREFIX"
say "done: brocolli-caffe fork; PYTHONPATH=$PREFIX/python, tools in $PREFIX/bin"
