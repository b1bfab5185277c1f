// custometrics: customer segmentation and retention scoring.
//
// This umbrella header includes the standard set: transactions and keys, dates, accumulators,
// aggregation, per-customer summaries, CSV input, the synthetic generator, Pareto, break-even,
// RFM, k-means clustering, segment attractiveness, and segment profiles and targets. It leaves
// out nothing yet; later areas (loyalty, retention models) get their own headers and are added
// here as they land.
#pragma once

#include "custometrics/accumulators.hpp"
#include "custometrics/aggregate.hpp"
#include "custometrics/attractiveness.hpp"
#include "custometrics/break_even.hpp"
#include "custometrics/clustering.hpp"
#include "custometrics/column.hpp"
#include "custometrics/config.hpp"
#include "custometrics/csv.hpp"
#include "custometrics/date.hpp"
#include "custometrics/error.hpp"
#include "custometrics/generate.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/pareto.hpp"
#include "custometrics/rfm.hpp"
#include "custometrics/segments.hpp"
#include "custometrics/summary.hpp"
#include "custometrics/transactions.hpp"
