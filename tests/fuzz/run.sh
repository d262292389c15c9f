#!/bin/bash
# Builds one libFuzzer target with clang (ASan + UBSan) against the pure
# sources and runs it for SECONDS over its seed corpus.
#   tests/fuzz/run.sh tests/fuzz/fuzz_X.c [SECONDS]
set -euo pipefail
src=$1; secs=${2:-60}
top=$(cd "$(dirname "$0")/../.." && pwd)
name=$(basename "$src" .c)
out=$(mktemp -d /tmp/alived-fuzz.XXXXXX)
trap 'rm -rf "$out"' EXIT
pure=$(sed -n '/^libcore_a_SOURCES/,/^$/p' "$top/Makefile.am" | tr ' \\\t' '\n\n\n' | grep '\.c$')
srcs=""
for f in $pure; do srcs="$srcs $top/$f"; done
clang -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I"$top/include" -I"$top/src" -o "$out/$name" "$top/$src" $srcs
corpus_seed="$top/tests/fuzz/corpus/${name#fuzz_}"
mkdir -p "$out/corpus"
[ -d "$corpus_seed" ] && cp -r "$corpus_seed"/. "$out/corpus/"
cd "$out"
./"$name" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 corpus 2>&1 | tail -n 25
