// The command-line tool formats numbers and fields with the core's output helpers.
#pragma once

#include "custometrics/output/format.hpp"

namespace custometrics::cli {
using namespace custometrics::output;
} // namespace custometrics::cli
