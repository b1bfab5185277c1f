// custometrics retention models: maximum-likelihood fitting on compressed customer summaries
// and the purchase, spend and contractual models built on it (one header per model; BG/BB,
// bg_bb.hpp, is the discrete-opportunity purchase model).
#pragma once

#include "custometrics/retention/bg_bb.hpp"
#include "custometrics/retention/bg_nbd.hpp"
#include "custometrics/retention/clv.hpp"
#include "custometrics/retention/covariate_partition.hpp"
#include "custometrics/retention/covariates.hpp"
#include "custometrics/retention/diagnostics.hpp"
#include "custometrics/retention/economics.hpp"
#include "custometrics/retention/fit.hpp"
#include "custometrics/retention/fitted_model.hpp"
#include "custometrics/retention/gamma_gamma.hpp"
#include "custometrics/retention/ggom_nbd.hpp"
#include "custometrics/retention/heterogeneity.hpp"
#include "custometrics/retention/intervals.hpp"
#include "custometrics/retention/mbg_nbd.hpp"
#include "custometrics/retention/overview.hpp"
#include "custometrics/retention/pareto_nbd.hpp"
#include "custometrics/retention/partition.hpp"
#include "custometrics/retention/purchase_model.hpp"
#include "custometrics/retention/rhythm.hpp"
#include "custometrics/retention/sbg.hpp"
#include "custometrics/retention/scoring.hpp"
#include "custometrics/retention/selection.hpp"
#include "custometrics/retention/summary_csv.hpp"
#include "custometrics/retention/units.hpp"
