#!/usr/bin/env bash
# End-to-end test of the command-line tool: usage: cli_test.sh PATH/TO/custometrics
# Each check compares against values worked out by hand (see tests/cpp/test_summary.cpp).
set -u
cm="$1"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
passes=0
check() { # name, command...
    local name="$1"; shift
    if "$@"; then passes=$((passes + 1)); else echo "FAILED: $name"; fails=$((fails + 1)); fi
}
expect_error() { # name, expected substring, command...
    local name="$1" want="$2"; shift 2
    local out rc
    out=$("$@" 2>&1 >/dev/null); rc=$?
    if [ "$rc" -ne 0 ] && [[ "$out" == *"$want"* ]] && [ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ]; then
        passes=$((passes + 1))
    else
        echo "FAILED: $name (rc=$rc, stderr: $out)"; fails=$((fails + 1))
    fi
}

# summarize: customer A buys 01-01 (10 + 5), 01-04 (20), 01-10 (30); B once on 01-05.
cat > "$tmp/log.csv" <<'CSV'
customer_id,date,amount
B,2020-01-05,7
A,2020-01-01,10
A,2020-01-01,5
A,2020-01-04,20
A,2020-01-10,30
CSV
"$cm" summarize "$tmp/log.csv" --out "$tmp/sum.csv" >/dev/null
cat > "$tmp/want.csv" <<'CSV'
customer_id,frequency,recency,T,monetary_value,revenue,returns,n_purchases,n_returns,orders,first_purchase,last_purchase
A,2,9,9,25,65,0,4,0,4,2020-01-01,2020-01-10
B,0,0,5,0,7,0,1,0,1,2020-01-05,2020-01-05
CSV
check "summarize days" cmp -s "$tmp/sum.csv" "$tmp/want.csv"
# weeks (Monday..Sunday): A has weeks W0 (35) and W1 (30): frequency 1, recency 1, T 1, monetary 30.
check "summarize weeks" bash -c "'$cm' summarize '$tmp/log.csv' --time-unit weeks | grep -qx 'A,1,1,1,30,65,0,4,0,4,2020-01-01,2020-01-10'"
# calibration end 01-04: A cal frequency 1, recency 3, T 3, monetary 20; holdout 1 period of 30; duration 6.
check "summarize holdout" bash -c "'$cm' summarize '$tmp/log.csv' --calibration-end 2020-01-04 2>/dev/null | grep -qx 'A,1,3,3,20,1,30,6,65,0,4,0,4,2020-01-01,2020-01-10'"
check "summarize json" bash -c "'$cm' summarize '$tmp/log.csv' --out '$tmp/s2.csv' --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"customers\"]==2 and d[\"observation_end\"]==\"2020-01-10\", d'"

# generate: deterministic for a seed, different for another seed.
"$cm" generate --customers 300 --seed 7 --out "$tmp/g1.csv" >/dev/null
"$cm" generate --customers 300 --seed 7 --out "$tmp/g2.csv" >/dev/null
"$cm" generate --customers 300 --seed 8 --out "$tmp/g3.csv" >/dev/null
check "generate same seed" cmp -s "$tmp/g1.csv" "$tmp/g2.csv"
check "generate other seed" bash -c "! cmp -s '$tmp/g1.csv' '$tmp/g3.csv'"
check "generate header" bash -c "head -1 '$tmp/g1.csv' | grep -qx 'customer_id,date,amount,cost,product,channel'"
check "generate json" bash -c "'$cm' generate --customers 50 --seed 1 --out '$tmp/g4.csv' --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"customers\"]==50, d'"

# report: text and JSON on a file, and on the embedded sample.
check "report text" bash -c "'$cm' report '$tmp/log.csv' | grep -q 'net revenue          72.00'"
check "report json" bash -c "'$cm' report '$tmp/log.csv' --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"rows\"]==5 and d[\"customers\"]==2 and d[\"net_revenue\"]==72 and d[\"one_time_buyer_share\"]==0.5, d'"
check "report sample" bash -c "'$cm' report --sample-customers 500 --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"customers\"]==500, d'"

# Errors: one line on stderr naming what is wrong, non-zero exit.
expect_error "missing file" "nope.csv" "$cm" summarize "$tmp/nope.csv"
expect_error "missing column" "custid" "$cm" summarize "$tmp/log.csv" --customer custid
printf 'customer_id,date,amount\nA,2020-13-01,5\n' > "$tmp/bad_date.csv"
expect_error "bad date" "2020-13-01" "$cm" summarize "$tmp/bad_date.csv"
printf 'customer_id,date,amount\nA,2020-01-01,abc\n' > "$tmp/bad_amount.csv"
expect_error "bad amount" "abc" "$cm" summarize "$tmp/bad_amount.csv"
printf 'customer_id,date,amount\nA,2020-01-01,nan\n' > "$tmp/nan_amount.csv"
expect_error "NaN amount" "nan" "$cm" summarize "$tmp/nan_amount.csv"
: > "$tmp/empty.csv"
expect_error "empty file" "empty.csv" "$cm" summarize "$tmp/empty.csv"
expect_error "late rows" "after the observation end" "$cm" summarize "$tmp/log.csv" --observation-end 2020-01-09
expect_error "calibration outside" "calibration_end" "$cm" summarize "$tmp/log.csv" --calibration-end 2019-01-01
expect_error "bad unit" "fortnights" "$cm" summarize "$tmp/log.csv" --time-unit fortnights
expect_error "bad generate" "customers" "$cm" generate --customers 0 --out "$tmp/x.csv"

echo "$passes passed, $fails failed"
[ "$fails" -eq 0 ]
