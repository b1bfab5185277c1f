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

# pareto: revenue by customer A 50, B 30, C 15, D 5, E -3 (a return only: not ranked).
# Ranked total 100, cumulative 0.5, 0.8, 0.95, 1 -> classes A A B C (share before < 0.8 / 0.95),
# 80% reached by 2 of 4 (0.5), top 20% = ceil(0.8) = 1 entity = 0.5,
# Gini = (3*50 + 1*30 - 1*15 - 3*5) / (4 * 100) = 0.375.
# Profit A 30, B -5, C 10, D 4, E -2 (total 37): the whale curve peaks at 44/37 after 3 of 5
# entities; 2 loss makers (0.4) destroy 7 = 7/37 of the total.
cat > "$tmp/p.csv" <<'CSV'
customer_id,date,amount,cost,product
A,2020-01-01,50,20,p1
B,2020-01-02,30,35,p1
C,2020-01-03,15,5,p2
D,2020-01-04,5,1,p2
E,2020-01-05,-3,-1,p3
CSV
check "pareto json" bash -c "'$cm' pareto '$tmp/p.csv' --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert (d[\"n\"], d[\"total\"], d[\"classes\"], d[\"entities_for_80pct\"], d[\"top20_share\"], d[\"gini\"], d[\"not_ranked\"]) == (4, 100, {\"A\": 2, \"B\": 1, \"C\": 1}, 0.5, 0.5, 0.375, {\"count\": 1, \"total\": -3}), d'"
"$cm" pareto "$tmp/p.csv" --out "$tmp/ent.csv" >/dev/null
printf 'key,value,rank,cum_share,class\nA,50,1,0.5,A\nB,30,2,0.8,A\nC,15,3,0.95,B\nD,5,4,1,C\nE,-3,,,none\n' > "$tmp/ent_want.csv"
check "pareto out" cmp -s "$tmp/ent.csv" "$tmp/ent_want.csv"
check "pareto whale" bash -c "'$cm' pareto '$tmp/p.csv' --measure profit --format json | python3 -c 'import json,sys; w=json.load(sys.stdin)[\"whale\"]; assert w[\"defined\"] and abs(w[\"peak_share\"]-44/37)<1e-12 and w[\"peak_entity_share\"]==0.6 and w[\"loss_entities\"]==2 and abs(w[\"loss_share\"]-7/37)<1e-12, w'"
check "pareto by product" bash -c "'$cm' pareto '$tmp/p.csv' --by product --format json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"classes\"]=={\"A\":1,\"B\":1,\"C\":0} and d[\"n\"]==2, d'"
# Period comparison: before = Jan 1-2 (A 50, B 30: cum before 0, 0.625 -> both A), after =
# Jan 3-5 (C 15, D 5: cum before 0, 0.75 -> both A; E not ranked): A and B leave A for none,
# C and D enter A from none, E stays none; Gini 20/160 = 0.125 before, 10/40 = 0.25 after.
check "pareto compare" bash -c "'$cm' pareto '$tmp/p.csv' --period-start 2020-01-03 --compare-start 2020-01-01 --compare-end 2020-01-02 --format json | python3 -c 'import json,sys; c=json.load(sys.stdin)[\"comparison\"]; m=c[\"migration\"]; assert m[\"A\"][\"none\"]==2 and m[\"none\"][\"A\"]==2 and m[\"none\"][\"none\"]==1 and c[\"left_a\"]==2 and c[\"entered_a\"]==2 and c[\"spearman\"] is None and c[\"gini_before\"]==0.125 and c[\"gini_change\"]==0.125, c'"
expect_error "pareto no cost" "column \"cost\"" "$cm" pareto "$tmp/log.csv" --measure profit
expect_error "pareto no column" "region" "$cm" pareto "$tmp/p.csv" --by region

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
