#!/usr/bin/env bash
# Runs one libFuzzer harness for a short time: inputs of up to 1 MB, the corpus it grows kept
# in the build directory, seeds read from the source tree. Exits non-zero on a crash, a leak,
# a sanitizer report or a timeout of one input (the reproducer is left in the build dir).
#   run-fuzzer.sh HARNESS CORPUS_DIR SECONDS [SEED_DIR...]
set -euo pipefail
exe=$1 corpus=$2 seconds=$3
shift 3
mkdir -p "$corpus"
cd "$(dirname "$corpus")"
exec "$exe" -max_total_time="$seconds" -max_len=1048576 -timeout=20 -rss_limit_mb=4096 \
  -print_final_stats=1 "$corpus" "$@"
