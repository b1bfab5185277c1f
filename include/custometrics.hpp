// custometrics: customer segmentation and retention scoring.
//
// This umbrella header includes the standard set: transactions and keys, dates, accumulators,
// aggregation, per-customer summaries, CSV input, the synthetic generator, Pareto, break-even,
// RFM, k-means clustering, segment attractiveness, segment profiles and targets, loyalty types,
// loyalty-programme evaluation, customer profitability and the retention models
// (retention.hpp). It leaves nothing out.
#pragma once

#include "custometrics/accumulators.hpp"
#include "custometrics/aggregate.hpp"
#include "custometrics/attractiveness.hpp"
#include "custometrics/break_even.hpp"
#include "custometrics/clustering.hpp"
#include "custometrics/column.hpp"
#include "custometrics/config.hpp"
#include "custometrics/criteria_table.hpp"
#include "custometrics/csv.hpp"
#include "custometrics/csv_table.hpp"
#include "custometrics/date.hpp"
#include "custometrics/entity_totals.hpp"
#include "custometrics/error.hpp"
#include "custometrics/generate.hpp"
#include "custometrics/json_value.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/loyalty.hpp"
#include "custometrics/nanoseconds.hpp"
#include "custometrics/pareto.hpp"
#include "custometrics/pareto_partition.hpp"
#include "custometrics/pareto_sketch.hpp"
#include "custometrics/profitability.hpp"
#include "custometrics/programme.hpp"
#include "custometrics/retention.hpp"
#include "custometrics/rfm.hpp"
#include "custometrics/segments.hpp"
#include "custometrics/summary.hpp"
#include "custometrics/transactions.hpp"
