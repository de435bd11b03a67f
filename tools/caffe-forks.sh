# The Caffe forks tools/build-caffe.sh --fork NAME builds: pinned commit, build options, and the
# build-compatibility patches each needs on a modern toolchain (gcc 12, protobuf 3.21, Boost 1.74+,
# Python 3, numpy 2). Sourced, not run. A patch here may only make the fork's code build and import;
# it never changes what a layer computes or checks, so the build stays that fork's oracle.

KNOWN_FORKS="faster-rcnn segnet pspnet ssd rfcn rfcn-ms brocolli"

# fork_recipe NAME: sets COMMIT, WHAT, URL, FORK_PREFIX, CMAKE_OPTIONS, PACKAGES, FORK_RECIPE
# (bump FORK_RECIPE when that fork's patches change what ends up in its prefix).
fork_recipe() {
  local repo var
  PACKAGES=""
  CMAKE_OPTIONS="-DUSE_OPENCV=OFF -DUSE_LMDB=OFF -DUSE_LEVELDB=OFF"
  case "$1" in
    faster-rcnn) repo=rbgirshick/caffe-fast-rcnn; COMMIT=0dcd397b29507b8314e252e850518c5695efbb83
               FORK_RECIPE=1 ;;
    segnet)    repo=alexgkendall/caffe-segnet; COMMIT=344c113bf1832886f1cbe9f33ffe28a3beeaf412
               FORK_RECIPE=1
               # no USE_OPENCV/LMDB/LEVELDB options: its CMake requires all of them
               CMAKE_OPTIONS=""; PACKAGES="libopencv-dev liblmdb-dev libleveldb-dev libsnappy-dev" ;;
    pspnet)    repo=hszhao/PSPNet; COMMIT=798bdc907c8630e8c3997ebfdd0d7cae0c5ab03b
               FORK_RECIPE=1
               # ImageSegData uses OpenCV unguarded; MatRead/MatWrite need libmatio
               CMAKE_OPTIONS="-DUSE_OPENCV=ON -DUSE_LMDB=OFF -DUSE_LEVELDB=OFF"
               PACKAGES="libopencv-dev libmatio-dev" ;;
    ssd)       repo=weiliu89/caffe; COMMIT=4817bf8b4200b35ada8ed0dc378dceaf38c539e4
               FORK_RECIPE=1 ;;
    rfcn)      repo=daijifeng001/caffe-rfcn; COMMIT=543f8f6a4b7c88256ea1445ae951a12d1ad9cffd
               FORK_RECIPE=1 ;;
    rfcn-ms)   repo=Microsoft/caffe; COMMIT=1a2be8ecf9ba318d516d79187845e90ac6e73197
               FORK_RECIPE=1 ;;   # py-R-FCN's pin: R-FCN's layers plus the OHEM losses
    *) return 1 ;;
  esac
  WHAT="Caffe fork $1 ($repo ${COMMIT:0:7})"
  URL="https://github.com/$repo/archive/$COMMIT.tar.gz"
  var=PTX_CAFFE_$(echo "$1" | tr 'a-z-' 'A-Z_')_PREFIX
  FORK_PREFIX=${!var:-$HOME/.cache/ptx/caffe-$1}
}

# fork_patches NAME: build-compatibility patches to the C++ tree in $SRC, each with its reason.
fork_patches() {
  case "$1" in
    segnet) opencv4_constants ;;
    pspnet)
      opencv4_constants
      # Its Makefile links libmatio (USE_MATIO, on by default) for util/matio_io.cpp; its CMake
      # files never did, so a CMake build fails to link; link it as the Makefile does.
      echo 'list(APPEND Caffe_LINKER_LIBS matio)' >>"$SRC/cmake/Dependencies.cmake"
      # util/interp.hpp includes the CUDA BLAS header it never uses, even in a CPU_ONLY build.
      sed -i 's|^#include <cublas_v2.h>$|#ifndef CPU_ONLY\n#include <cublas_v2.h>\n#endif|' \
        "$SRC/include/caffe/util/interp.hpp" ;;
  esac
}

# OpenCV 4 dropped the C API's CV_LOAD_IMAGE_* names; cv::IMREAD_* are the same flags (values).
opencv4_constants() {
  grep -rlE 'CV_LOAD_IMAGE_(COLOR|GRAYSCALE)' "$SRC/src" "$SRC/include" "$SRC/tools" 2>/dev/null \
    | xargs -r sed -i 's/CV_LOAD_IMAGE_COLOR/cv::IMREAD_COLOR/g; s/CV_LOAD_IMAGE_GRAYSCALE/cv::IMREAD_GRAYSCALE/g'
}

# fork_python_patches NAME DIR: make the fork's Python 2 era pycaffe (DIR = .../python/caffe)
# import and run under Python 3 with lib2to3's syntax-only fixers (print statements, dict
# iteration methods, `except E, e`, xrange...; lib2to3 is in the standard library up to Python
# 3.12). Same calls, same results; Python 3 spelling only.
fork_python_patches() {
  "$PY" -W ignore -m lib2to3 -w -n --no-diffs -f print -f dict -f except -f xrange -f has_key \
    -f basestring -f unicode -f raise -f ne -f itertools -f itertools_imports "$2" >>"$LOG" 2>&1 \
    || fail "could not port the fork's pycaffe to Python 3 (lib2to3)"
}
