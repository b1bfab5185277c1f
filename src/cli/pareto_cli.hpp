// The `custometrics pareto` subcommand (registered through command.hpp): the Pareto analysis of
// a log (custometrics/pareto_log.hpp) printed with the core's writers
// (custometrics/output/pareto.hpp).
#pragma once

#include "custometrics/output/pareto.hpp"
