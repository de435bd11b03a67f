# Steps shared by ptx's Caffe build recipes (tools/build-caffe.sh, tools/build-caffe-brocolli.sh).
# Sourced, not run. The caller sets PY (the interpreter pycaffe is built for), PREFIX and STAMP
# (a file whose presence in PREFIX marks a finished build of this exact recipe).

say() { echo "build-caffe: $*"; }
die() { echo "build-caffe: error: $*" >&2; exit 1; }

# A finished build: stamped, pycaffe imports, the caffe tool runs.
prefix_works() {
  [ -f "$1/$STAMP" ] || return 1
  PYTHONPATH="$1/python" GLOG_minloglevel=2 "$PY" -c "import caffe" >/dev/null 2>&1 || return 1
  "$1/bin/caffe" --version >/dev/null 2>&1 || return 1
  [ -x "$1/bin/upgrade_net_proto_text" ]
}

# The Python packages pycaffe imports.
python_packages() {
  command -v "$PY" >/dev/null || die "no Python interpreter '$PY' (set PYTHON=...)"
  local module pkg
  for module in numpy six google.protobuf; do
    if ! "$PY" -c "import $module" >/dev/null 2>&1; then
      pkg=${module#google.}; say "installing Python package $pkg"
      "$PY" -m pip install -q "$pkg" || die "pip install $pkg failed"
    fi
  done
}

# Debian packages every build needs, plus "$@"; sets PYVER, PYINC, NPINC, PYEXE, BOOST_PYTHON.
debian_packages() {
  PYVER=$("$PY" -c 'import sys; print("%d%d" % sys.version_info[:2])')
  local packages="g++ make cmake patchelf protobuf-compiler libprotobuf-dev libgoogle-glog-dev
          libgflags-dev libopenblas-dev libhdf5-dev libboost-system-dev libboost-thread-dev
          libboost-filesystem-dev libboost-regex-dev libboost-python-dev $*"
  PYINC=$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["include"])')
  [ -f "$PYINC/Python.h" ] || packages="$packages python3-dev"
  local missing
  missing=$(for p in $packages; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done | tr '\n' ' ')
  if [ -n "${missing// }" ]; then
    say "installing Debian packages: $missing"
    local SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null \
      || die "apt-get install failed for: $missing"
  fi
  [ -f "$PYINC/Python.h" ] || die "no Python.h for $PY in $PYINC (install that Python's headers)"
  local multiarch
  multiarch=$(gcc -print-multiarch 2>/dev/null || dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)
  BOOST_PYTHON=/usr/lib/$multiarch/libboost_python$PYVER.so
  [ -f "$BOOST_PYTHON" ] || die "$BOOST_PYTHON is missing: Debian's Boost.Python does not support \
Python ${PYVER:0:1}.${PYVER:1}; run this script with PYTHON=/usr/bin/python3"
  NPINC=$("$PY" -c 'import numpy; print(numpy.get_include())')
  PYEXE=$("$PY" -c 'import sys; print(sys.executable)')
}

# WORK (scratch, removed on exit), STAGE (beside PREFIX, moved into place once it works), LOG.
workspace() {
  mkdir -p "$(dirname "$PREFIX")"
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/ptx-caffe-build.XXXXXX")
  STAGE="$PREFIX.partial.$$"
  trap 'rm -rf "$WORK" "$STAGE"' EXIT
  trap 'exit 130' INT TERM
  LOG="$WORK/build.log"
  : >"$LOG"
}

fail() { tail -n 40 "$LOG" >&2 || true; cp "$LOG" "$PREFIX.build.log" 2>/dev/null && \
         echo "build-caffe: full log: $PREFIX.build.log" >&2; die "$1"; }

# unpack_source SOURCE URL WHAT: a source directory or tarball (SOURCE, else downloaded from URL)
# into $WORK/src, which must then look like a Caffe tree; sets SRC.
unpack_source() {
  local source=$1 url=$2 what=$3
  SRC="$WORK/src"
  mkdir -p "$SRC"
  if [ -z "$source" ]; then
    say "downloading $what from $url"
    source="$WORK/source.tar.gz"
    if command -v curl >/dev/null; then curl -fsSL -o "$source" "$url" || die "could not download $url (use --source)"
    else "$PY" -c "import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])" "$url" "$source" \
           || die "could not download $url (use --source)"; fi
  fi
  if [ -d "$source" ]; then
    say "$what source: directory $source"
    cp -a "$source/." "$SRC/"
  elif [ -f "$source" ]; then
    say "$what source: $source"
    tar xzf "$source" -C "$SRC" --strip-components=1 || die "cannot unpack $source"
  else
    die "no such source: $source"
  fi
  [ -f "$SRC/src/caffe/net.cpp" ] && [ -f "$SRC/CMakeLists.txt" ] || die "$source does not look like a Caffe source tree"
}

# Patches every BVLC-derived tree needs; build compatibility only, no change in behaviour.
common_patches() {
  # Trimmed snapshots leave out directories the top CMakeLists.txt still adds.
  local d
  for d in examples matlab docs; do mkdir -p "$SRC/$d"; [ -f "$SRC/$d/CMakeLists.txt" ] || : >"$SRC/$d/CMakeLists.txt"; done
  # protobuf >= 3.6 has a one-argument SetTotalBytesLimit (the dropped second argument was a
  # warning threshold).
  sed -i 's/SetTotalBytesLimit(kProtoReadBytesLimit, [^)]*)/SetTotalBytesLimit(kProtoReadBytesLimit)/' \
    "$SRC/src/caffe/util/io.cpp"
  # Trees before 2016 link HDF5 without its high-level library (H5LT*), which CMake >= 3.6's
  # FindHDF5 lists apart, in HDF5_HL_LIBRARIES.
  sed -i 's/^list(APPEND Caffe_LINKER_LIBS ${HDF5_LIBRARIES})$/list(APPEND Caffe_LINKER_LIBS ${HDF5_LIBRARIES} ${HDF5_HL_LIBRARIES})/' \
    "$SRC/cmake/Dependencies.cmake"
}

# caffe_pb2.py from the protoc that matches this Python's protobuf runtime (grpcio-tools, a ptx
# dependency) where there is one: Debian's older protoc writes code newer runtimes refuse.
python_proto() {
  local out=$1
  mkdir -p "$out"; : >"$out/__init__.py"
  if "$PY" -c "import grpc_tools.protoc" >/dev/null 2>&1; then
    "$PY" -m grpc_tools.protoc --python_out="$out" -I"$SRC/src/caffe/proto" \
      "$SRC/src/caffe/proto/caffe.proto" >>"$LOG" 2>&1 || fail "protoc (grpcio-tools) failed on caffe.proto"
  else
    protoc --python_out="$out" -I"$SRC/src/caffe/proto" "$SRC/src/caffe/proto/caffe.proto" \
      >>"$LOG" 2>&1 || fail "protoc failed on caffe.proto"
  fi
}

# caffe/io.py imports scikit-image and scipy at module level for image helpers that loading,
# running and training nets never use; make those imports lazy so `import caffe` needs neither.
lazy_image_imports() {
  "$PY" - "$1" <<'PYEDIT'
import re, sys
path = sys.argv[1]
text = open(path).read()
optional = ("import skimage.io", "from scipy.ndimage import zoom", "from skimage.transform import resize")
for line in optional:
    guarded = "try:  # ptx: optional, only the image helpers need it\n    %s\nexcept ImportError:\n    pass\n" % line
    text, n = re.subn("^" + re.escape(line) + "\n", guarded, text, count=1, flags=re.M)
    if n != 1 and line != optional[-1]:
        sys.exit("build-caffe: unexpected caffe/io.py header; recipe needs updating")
open(path, "w").write(text)
PYEDIT
}

# finish_stage WHAT [TYPE...]: check the staged build (pycaffe imports and builds a net; Caffe's
# layer registry has the TYPEs, default Convolution and Python), stamp it and move it into place.
# The registry is read from the caffe tool's unknown-type message: pycaffe before 2016 cannot
# list it.
finish_stage() {
  local what=$1; shift
  local types="${*:-Convolution Python}" net="$WORK/ptx-check.prototxt" known type
  echo 'layer { name: "d" type: "DummyData" top: "d" dummy_data_param { shape { dim: 1 dim: 2 } } }' >"$net"
  PYTHONPATH="$STAGE/python" GLOG_minloglevel=2 "$PY" -c \
    "import caffe, sys; caffe.set_mode_cpu(); assert caffe.Net(sys.argv[1], caffe.TEST).blobs['d'].data.shape == (1, 2)" \
    "$net" >>"$LOG" 2>&1 || fail "the built pycaffe does not import or cannot build a net"
  echo 'layer { name: "x" type: "PtxNoSuchLayerType" top: "x" }' >"$net"
  known=$({ "$STAGE/bin/caffe" time --model="$net" 2>&1 || true; } 2>/dev/null | sed -n 's/.*(known types: \(.*\))$/\1/p' | tr -d ',')
  [ -n "$known" ] || fail "the built caffe tool does not run"
  for type in $types; do
    case " $known " in *" $type "*) ;; *) fail "the built Caffe has no $type layer (it has: $known)" ;; esac
  done
  echo "$what" >"$STAGE/$STAMP"
  rm -rf "$PREFIX"
  mv "$STAGE" "$PREFIX"
  say "done: $what; PYTHONPATH=$PREFIX/python, tools in $PREFIX/bin"
}
