// Special functions for the retention likelihoods (private to src/retention): lgamma without
// the global `signgam` write of glibc's lgamma (a data race when several threads evaluate a
// likelihood), and digamma in plain double precision.
#pragma once

#include "custometrics/config.hpp"

#include <boost/math/policies/policy.hpp>
#include <boost/math/special_functions/digamma.hpp>

#include <cmath>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace detail {

/// log Gamma(x) for x > 0.
inline double lgam(double x) {
#if defined(__GLIBC__)
    int sign = 0;
    return ::lgamma_r(x, &sign);
#else
    return std::lgamma(x);
#endif
}

/// digamma(x) for x > 0, computed in double (Boost.Math would promote to long double).
inline double digamma(double x) {
    using policy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
    return boost::math::digamma(x, policy());
}

} // namespace detail
CUSTOMETRICS_END_NAMESPACE
