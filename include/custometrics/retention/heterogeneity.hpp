#pragma once
// The heterogeneity of a purchase model: the mixing distributions of its purchase and dropout
// rates, as lifetimes' plot_transaction_rate_heterogeneity / plot_dropout_rate_heterogeneity
// and CLVTools' plots draw them.
//
// BG/NBD, MBG/NBD and Pareto/NBD let each customer buy at a Poisson rate lambda drawn from
// Gamma(r, alpha) (shape r, rate alpha: mean r / alpha, variance r / alpha^2). The dropout is
// a probability p per purchase drawn from Beta(a, b) for BG/NBD and MBG/NBD (mean a / (a + b),
// variance ab / ((a + b)^2 (a + b + 1))), and an exponential lifetime rate mu drawn from
// Gamma(s, beta) for Pareto/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy
// way", Marketing Science 24(2), sections 2-3; Schmittlein, Morrison & Colombo 1987).
//
// The density is evaluated on `points` evenly spaced values from 0 to the `upper` quantile
// (lifetimes: 100 points up to the 99% quantile, scipy's ppf). At 0 a shape below 1 makes the
// density infinite, and it is +inf there (matplotlib leaves the point out, as with scipy's
// inf); a Beta with b < 1 has the same at 1, which the grid reaches only for upper = 1.
//
// Example: gamma_mixing_density(2.0, 1.0) has mean 2, variance 2, x from 0 to 6.638 (the 99%
// quantile: 1 - e^-x (1 + x) = 0.99) and density x e^-x.
#include "custometrics/error.hpp"
#include "custometrics/retention/purchase_model.hpp"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/gamma.hpp>

#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

namespace custometrics {

/// A mixing distribution's density on a grid, with its mean and variance.
struct mixing_density {
    std::string distribution; ///< "gamma" or "beta"
    double shape1 = 0.0;      ///< gamma: shape; beta: a
    double shape2 = 0.0;      ///< gamma: rate; beta: b
    double mean = 0.0;
    double variance = 0.0;
    std::vector<double> x;       ///< 0 to the `upper` quantile, evenly spaced
    std::vector<double> density; ///< the pdf at each x (+inf where it is unbounded)
};

namespace detail {

template <class Distribution>
mixing_density density_grid(const Distribution& d, double at_zero, double at_one,
                            std::size_t points, double upper) {
    if (points < 2) throw invalid_argument("points", "must be at least 2", std::to_string(points));
    if (!(upper > 0.0 && upper <= 1.0))
        throw invalid_argument("upper", "must be in (0, 1]", std::to_string(upper));
    mixing_density out;
    out.mean = boost::math::mean(d);
    out.variance = boost::math::variance(d);
    const double top =
        upper < 1.0 ? boost::math::quantile(d, upper) : boost::math::support(d).second;
    out.x.resize(points);
    out.density.resize(points);
    for (std::size_t i = 0; i < points; ++i) {
        const double x = top * static_cast<double>(i) / static_cast<double>(points - 1);
        out.x[i] = x;
        // The ends of a bounded support take the limits given (Boost throws where unbounded).
        const bool end = upper >= 1.0 && i + 1 == points;
        out.density[i] = x == 0.0 ? at_zero : end ? at_one : boost::math::pdf(d, x);
    }
    return out;
}

inline void check_shape(const char* argument, double v) {
    if (!(v > 0.0 && std::isfinite(v)))
        throw invalid_argument(argument, "must be positive and finite", std::to_string(v));
}

/// The density at 0 of a shape-`k` family whose pdf behaves as c x^(k - 1) there.
inline double density_at_zero(double shape, double if_one) {
    if (shape < 1.0) return std::numeric_limits<double>::infinity();
    return shape == 1.0 ? if_one : 0.0;
}

} // namespace detail

/// The Gamma(shape, rate) density on `points` values from 0 to its `upper` quantile.
inline mixing_density gamma_mixing_density(double shape, double rate, std::size_t points = 100,
                                           double upper = 0.99) {
    detail::check_shape("shape", shape);
    detail::check_shape("rate", rate);
    if (upper >= 1.0)
        throw invalid_argument("upper", "must be below 1 for a Gamma (unbounded support)",
                               std::to_string(upper));
    const boost::math::gamma_distribution<double> d(shape, 1.0 / rate);
    auto out = detail::density_grid(d, detail::density_at_zero(shape, rate), 0.0, points, upper);
    out.distribution = "gamma";
    out.shape1 = shape;
    out.shape2 = rate;
    return out;
}

/// The Beta(a, b) density on `points` values from 0 to its `upper` quantile.
inline mixing_density beta_mixing_density(double a, double b, std::size_t points = 100,
                                          double upper = 0.99) {
    detail::check_shape("a", a);
    detail::check_shape("b", b);
    const boost::math::beta_distribution<double> d(a, b);
    // At 1 the pdf behaves as (1 - x)^(b - 1): the mirror of 0 (1 - p is Beta(b, a)).
    auto out = detail::density_grid(d, detail::density_at_zero(a, b), detail::density_at_zero(b, a),
                                    points, upper);
    out.distribution = "beta";
    out.shape1 = a;
    out.shape2 = b;
    return out;
}

/// Which rate's heterogeneity: purchases (Gamma(r, alpha)) or dropout (Beta(a, b) for BG/NBD
/// and MBG/NBD, Gamma(s, beta) for Pareto/NBD and for GGompertz/NBD's eta).
enum class heterogeneity_kind { purchase, dropout };

/// The mixing density of a fitted purchase model's purchase or dropout rate (see the file
/// comment).
inline mixing_density heterogeneity(const purchase_params& params, heterogeneity_kind kind,
                                    std::size_t points = 100, double upper = 0.99) {
    return std::visit(
        [&](const auto& p) {
            if (kind == heterogeneity_kind::purchase)
                return gamma_mixing_density(p.r, p.alpha, points, upper);
            using P = std::decay_t<decltype(p)>;
            // GGompertz/NBD: the Gompertz lifetime's eta ~ Gamma(s, beta)
            if constexpr (std::is_same_v<P, pareto_nbd_params> ||
                          std::is_same_v<P, ggom_nbd_params>)
                return gamma_mixing_density(p.s, p.beta, points, upper);
            else
                return beta_mixing_density(p.a, p.b, points, upper);
        },
        params);
}

} // namespace custometrics
