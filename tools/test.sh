#!/usr/bin/env bash
# Sets up (system packages, MNIST), builds, and runs every test: the whole CUnit suite in a
# release-like build, then the whole suite again in an ASan + UBSan build, then the window
# under ThreadSanitizer (the `tsan` suite: gui-tsan in a -Db_sanitize=thread build), then each
# libFuzzer harness (tests/fuzz) for a short time in a clang build, when clang's libFuzzer is
# there. Ends with the line "N passed, N failed" over all the runs; exits non-zero if any
# test failed or none ran.
#
#   tools/test.sh [--no-setup] [--no-sanitize] [--no-tsan] [--no-fuzz]
#
#   --no-setup     skip tools/setup.sh (apt-get and the MNIST download)
#   --no-sanitize  skip both sanitizer stages: build-sanitize/ (ASan + UBSan) and build-tsan/
#   --no-tsan      skip the ThreadSanitizer stage only (build-tsan/: the window, about a
#                  minute to build and one to run on 2 cores)
#   --no-fuzz      skip the libFuzzer stage (build-fuzz/)
set -euo pipefail
cd "$(dirname "$0")/.."

setup=1 sanitize=1 tsan=1 fuzz=1
for a in "$@"; do
  case "$a" in
    --no-setup) setup=0 ;;
    --no-sanitize) sanitize=0 ;;
    --no-tsan) tsan=0 ;;
    --no-fuzz) fuzz=0 ;;
    *) echo "test.sh: unknown option '$a'" >&2; exit 2 ;;
  esac
done

[ "$setup" = 1 ] && bash tools/setup.sh

configure() {   # dir, extra meson options...
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}

passed=0 failed=0 skipped=0 status=0
run_suite() {   # dir, label, meson test arguments...; $build_targets: what to build (all)
  local dir=$1 label=$2 rc=0
  shift 2
  echo "=== $label: building in $dir"
  # shellcheck disable=SC2086
  ninja -C "$dir" ${build_targets:-}
  echo "=== $label: running the tests"
  meson test -C "$dir" --print-errorlogs --num-processes 2 "$@" || rc=$?
  [ "$rc" = 0 ] || status=1
  # meson's machine-readable log: one JSON object per test.
  read -r p f s < <(python3 - "$dir/meson-logs/testlog.json" <<'PY'
import json, sys
p = f = s = 0
for line in open(sys.argv[1]):
    r = json.loads(line)["result"]
    if r in ("OK", "EXPECTEDFAIL"): p += 1
    elif r == "SKIP": s += 1
    else: f += 1
print(p, f, s)
PY
)
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  echo "=== $label: $p passed, $f failed, $s skipped"
}

configure build --buildtype=debugoptimized
run_suite build "release-like build"

if [ "$sanitize" = 1 ]; then
  # UBSan must stop on the first error, or a test would pass with undefined behaviour in it.
  configure build-sanitize --buildtype=debug -Db_sanitize=address,undefined \
    -Dc_args=-fno-sanitize-recover=all -Dc_link_args=-fno-sanitize-recover=all
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  # Everything runs two to five times slower under ASan: gui-e2e (English, Korean and MNIST)
  # took more than its 480 s there.
  run_suite build-sanitize "ASan + UBSan build" --timeout-multiplier 2
fi

# ThreadSanitizer cannot share a build with ASan. Only the program is built here and only the
# `tsan` suite runs (gui-tsan: the window driven over AT-SPI, failing on any TSan report; the
# suppressions and why each is there: tests/tsan.supp). The session and runner tests already
# run under TSan in build/ (runner-tsan, session-tsan).
if [ "$sanitize" = 1 ] && [ "$tsan" = 1 ]; then
  configure build-tsan --buildtype=debugoptimized -Db_sanitize=thread
  build_targets="app/neurowire" run_suite build-tsan "ThreadSanitizer window" --no-rebuild --suite tsan
fi

# The fuzz harnesses need clang's libFuzzer runtime (Debian's clang and libclang-rt-14-dev,
# which setup.sh installs); without it this stage says so and is skipped.
if [ "$fuzz" = 1 ]; then
  if command -v clang >/dev/null && echo 'int LLVMFuzzerTestOneInput(const char *d, long n){return 0;}' |
       clang -x c -fsanitize=fuzzer -o /dev/null - 2>/dev/null; then
    CC=clang configure build-fuzz --buildtype=debugoptimized -Dtests=false -Dfuzz=true \
      -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link
    build_targets="tests/fuzz/fuzz-spec tests/fuzz/fuzz-safetensors tests/fuzz/fuzz-idx tests/fuzz/fuzz-csv tests/fuzz/fuzz-lesson" \
      run_suite build-fuzz "libFuzzer harnesses" --no-rebuild --suite fuzz
  else
    echo "=== libFuzzer harnesses: skipped (no clang with -fsanitize=fuzzer)"
  fi
fi

if [ $((passed + failed)) = 0 ]; then
  echo "no test ran" >&2
  status=1
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
