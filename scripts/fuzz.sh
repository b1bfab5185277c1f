#!/usr/bin/env bash
# Runs one libFuzzer target of tests/fuzz for a bounded time: scripts/fuzz.sh TARGET SECONDS
# (TARGET: csv, csv_table, json, date, map, criteria, summary, pipeline, or all). Builds the
# `fuzz` preset (clang, ASan + UBSan) first. The committed seeds in tests/fuzz/corpus/TARGET are copied to a scratch corpus, so the
# repository is not changed; a finding is written to build/fuzz/findings/ and the script exits
# non-zero. Prints the number of executions of each run.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: scripts/fuzz.sh TARGET|all SECONDS}"
seconds="${2:?usage: scripts/fuzz.sh TARGET|all SECONDS}"
targets=(csv csv_table json date map criteria summary pipeline)
[ "$target" = all ] || targets=("$target")

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target "${targets[@]/#/fuzz_}"

findings=build/fuzz/findings
mkdir -p "$findings"
for t in "${targets[@]}"; do
    corpus=$(mktemp -d)
    cp tests/fuzz/corpus/"$t"/* "$corpus"/
    log="$findings/$t.log"
    if ! build/fuzz/tests/fuzz/fuzz_"$t" "$corpus" -max_total_time="$seconds" -max_len=4096 \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$findings/$t-" >"$log" 2>&1; then
        tail -n 40 "$log"
        echo "fuzz_$t: FINDING (see $log and $findings/$t-*)"
        rm -rf "$corpus"
        exit 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz_$t: ${runs:-?} executions in ${seconds} s, no finding"
    rm -rf "$corpus"
done
