"""Writes data/sample_signals.csv: survey signals for the report's generated sample.

`custometrics report` without a file analyses a generated log of 10,000 customers (keys 1 ..
10000, seed 42). This script invents, deterministically (Python's random.Random(42), whose
sequence is stable across Python versions), what a survey of every 10th customer might have
returned, so that the report's loyalty section has stated signals to show:

    python3 scripts/make_sample_signals.py > data/sample_signals.csv
    custometrics report --signals data/sample_signals.csv

The answers are synthetic and independent of the customers' purchases; they illustrate the
format (see `custometrics loyalty --help`), not any finding.
"""

import random

REASONS = ["no_longer_needed", "too_expensive", "quality", "service", "competitor_offer",
           "moved", "other"]
REASON_WEIGHTS = [20, 25, 15, 15, 15, 5, 5]


def main():
    rng = random.Random(42)
    print("customer_id,satisfaction,recommend,referrals,complaints,share_of_wallet,"
          "has_alternative,segment,churn_reason,service_tickets,tw_describe,"
          "tw_trouble_limiting,tw_trouble_spending,tw_sale_scenario")
    for key in range(1, 10001, 10):
        sat = rng.choices([1, 2, 3, 4, 5], weights=[5, 10, 20, 40, 25])[0]
        rec = min(10, max(0, 2 * sat + rng.randint(-2, 1)))
        referrals = rng.choices([0, 1, 2], weights=[70, 20, 10])[0] if sat >= 4 else 0
        complaints = rng.choices([0, 1, 2, 3], weights=[40, 30, 20, 10])[0] if sat <= 2 else 0
        share = round(rng.uniform(0.1, 1.0), 2)
        alt = rng.choices(["yes", "no"], weights=[85, 15])[0]
        segment = rng.choice(["north", "south", "west"])
        reason = rng.choices(REASONS, weights=REASON_WEIGHTS)[0] if rng.random() < 0.15 else ""
        tickets = rng.choices([0, 1, 2, 4], weights=[60, 25, 10, 5])[0]
        tw = ["", "", "", ""]
        if rng.random() < 0.5:
            tw = [rng.randint(1, 11), rng.randint(1, 5), rng.randint(1, 5), rng.randint(1, 5)]
        fields = [key, sat, rec, referrals, complaints, share, alt, segment, reason, tickets, *tw]
        # Some answers are left blank, as in a real survey: a missing signal stays missing.
        if rng.random() < 0.1:
            fields[5] = ""
        print(",".join(str(f) for f in fields))


if __name__ == "__main__":
    main()
