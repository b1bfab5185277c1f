#!/usr/bin/env bash
# Runs one libFuzzer target of tests/fuzz for a bounded time: scripts/fuzz.sh TARGET SECONDS
# (TARGET: csv, csv_table, json, date, map, criteria, summary, pipeline, or all). Builds the
# `fuzz` preset (clang, ASan + UBSan) first. The committed seeds in tests/fuzz/corpus/TARGET are
# copied to a scratch corpus, so the repository is not changed; a finding is written to
# build/fuzz/findings/ and the script exits non-zero. Prints the number of executions of each
# run. With `all`, CUSTOMETRICS_FUZZ_JOBS targets run at once (default: the number of cores).
# The mutations follow a fixed seed (CUSTOMETRICS_FUZZ_SEED, default 1), so a test run explores
# the same inputs on every machine of like speed and passes or fails the same way; give
# CUSTOMETRICS_FUZZ_SEED=0 (libFuzzer picks one) for a run that explores new inputs, and commit
# what it finds as a seed of tests/fuzz/corpus/TARGET once mended.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: scripts/fuzz.sh TARGET|all SECONDS}"
seconds="${2:?usage: scripts/fuzz.sh TARGET|all SECONDS}"
seed="${CUSTOMETRICS_FUZZ_SEED:-1}"
targets=(csv csv_table json date map criteria summary pipeline)
[ "$target" = all ] || targets=("$target")

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz -j "$(nproc)" --target "${targets[@]/#/fuzz_}"

findings=build/fuzz/findings
mkdir -p "$findings"
# Runs target $1 for $seconds s on a scratch copy of its seeds; exit status 1 on a finding.
run_target() {
    local t="$1" corpus log runs
    corpus=$(mktemp -d)
    cp tests/fuzz/corpus/"$t"/* "$corpus"/
    log="$findings/$t.log"
    if ! build/fuzz/tests/fuzz/fuzz_"$t" "$corpus" -max_total_time="$seconds" -seed="$seed" \
        -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$findings/$t-" >"$log" 2>&1; then
        tail -n 40 "$log"
        echo "fuzz_$t: FINDING (see $log and $findings/$t-*)"
        rm -rf "$corpus"
        return 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz_$t: ${runs:-?} executions in ${seconds} s (seed $seed), no finding"
    rm -rf "$corpus"
}
# CUSTOMETRICS_FUZZ_JOBS targets at a time (default: one per core), so that `all` takes
# about (targets / jobs) x SECONDS.
jobs="${CUSTOMETRICS_FUZZ_JOBS:-$(nproc)}"
pids=()
status=0
for t in "${targets[@]}"; do
    run_target "$t" &
    pids+=($!)
    if [ "${#pids[@]}" -ge "$jobs" ]; then
        wait "${pids[0]}" || status=1
        pids=("${pids[@]:1}")
    fi
done
for pid in "${pids[@]}"; do
    wait "$pid" || status=1
done
exit "$status"
