// The `custometrics fit`, `score` and `contacts` subcommands (registered through command.hpp).
//
// They read a per-customer summary CSV (custometrics/retention/summary_csv.hpp), fit or score
// with the core (fit_summary, score_summary, contact_list) and print with the core's writers
// (custometrics/output/retention.hpp), which also hold the report's retention section.
#pragma once

#include "custometrics/output/retention.hpp"
