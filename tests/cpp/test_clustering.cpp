// Tests of clustering.hpp: Lloyd's iterations followed by hand, empty-cluster re-seeding,
// log1p and z-score scaling by hand, the silhouette by hand, blobs recovered with k chosen by
// the silhouette (on all points and on a sample), determinism over seeds and thread counts,
// and bad input.
#include <custometrics/clustering.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <vector>

using namespace custometrics;

namespace {

template <class T> std::vector<T> vec(const column<T>& c) {
    return {c.begin(), c.end()};
}

Eigen::MatrixXd col_vector(std::initializer_list<double> v) {
    Eigen::MatrixXd m(static_cast<Eigen::Index>(v.size()), 1);
    Eigen::Index i = 0;
    for (const double x : v)
        m(i++, 0) = x;
    return m;
}

// Uniform in [-1, 1) from the raw bits of mt19937_64 (the same on every standard library).
double noise(std::mt19937_64& g) {
    return static_cast<double>(g() >> 11U) * 0x1.0p-52 - 1.0;
}

// Four square blobs of half-width 1 around (0, 0), (10, 0), (0, 10), (10, 10); row i belongs
// to blob i % 4.
Eigen::MatrixXd blobs(Eigen::Index per_blob, std::uint64_t seed) {
    std::mt19937_64 g(seed);
    const double cx[] = {0, 10, 0, 10};
    const double cy[] = {0, 0, 10, 10};
    Eigen::MatrixXd x(4 * per_blob, 2);
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
        x(i, 0) = cx[i % 4] + noise(g);
        x(i, 1) = cy[i % 4] + noise(g);
    }
    return x;
}

// Whether `labels` is the partition by i % 4, up to the names of the clusters.
bool is_blob_partition(const column<std::uint32_t>& labels) {
    std::set<std::uint32_t> seen;
    for (std::size_t b = 0; b < 4; ++b) {
        for (std::size_t i = b; i < labels.size(); i += 4)
            if (labels[i] != labels[b]) return false;
        seen.insert(labels[b]);
    }
    return seen.size() == 4;
}

} // namespace

TEST_CASE("kmeans: Lloyd's iterations followed by hand (1-D)") {
    // Points 0, 2, 4, 10, 12 from centres 0 and 2 (tolerance 0: stop when no label changes).
    // Assignment: 0 -> c0; 2, 4, 10, 12 -> c1.
    // Update 1: c = (0, (2+4+10+12)/4 = 7). Assignment: 2 -> c0 (|2-0| = 2 < 5), 4 -> c1 (4 > 3).
    // Update 2: c = ((0+2)/2 = 1, (4+10+12)/3 = 26/3). Assignment: 4 -> c0 (3 < 4.67).
    // Update 3: c = ((0+2+4)/3 = 2, (10+12)/2 = 11). Assignment: no change -> converged.
    // Inertia: (0-2)^2 + 0 + (4-2)^2 + (10-11)^2 + (12-11)^2 = 10.
    const Eigen::MatrixXd x = col_vector({0, 2, 4, 10, 12});
    const Eigen::MatrixXd init = col_vector({0, 2});
    kmeans_options o;
    o.tolerance = 0.0;
    const kmeans_result r = kmeans(x, init, o);
    CHECK(vec(r.labels) == std::vector<std::uint32_t>{0, 0, 0, 1, 1});
    CHECK(r.centres(0, 0) == 2.0);
    CHECK(r.centres(1, 0) == 11.0);
    CHECK(r.inertia == 10.0);
    CHECK(r.iterations == 3);
    CHECK(r.converged);
    CHECK(r.restart == 0);
    CHECK(r.sizes == std::vector<std::size_t>{3, 2});

    // One update only: c = (0, 7); labels 0 0 1 1 1; inertia 0 + 4 + 9 + 9 + 25 = 47.
    o.max_iter = 1;
    const kmeans_result one = kmeans(x, init, o);
    CHECK(vec(one.labels) == std::vector<std::uint32_t>{0, 0, 1, 1, 1});
    CHECK(one.centres(1, 0) == 7.0);
    CHECK(one.inertia == 47.0);
    CHECK(one.iterations == 1);
    CHECK_FALSE(one.converged);

    // The default tolerance: 1e-4 x population variance (var of 0 2 4 10 12 = 20.8) = 0.00208;
    // no shift is that small before the labels settle, so the same result.
    o.max_iter = 300;
    o.tolerance = 1e-4;
    const kmeans_result tol = kmeans(x, init, o);
    CHECK(tol.inertia == 10.0);
    CHECK(tol.iterations == 3);
}

TEST_CASE("kmeans: an empty cluster is re-seeded at the farthest point (2-D)") {
    // Points (0,0), (1,0), (10,0) from centres (0,0), (1,0), (100,0): (10,0) is nearer (1,0)
    // (81 < 8100), so cluster 2 is empty. Its centre moves to the point farthest from its own
    // centre, (10,0) (distance^2 81, in cluster 1 of two points); cluster 1 keeps (1,0).
    // Assignment: labels 0 1 2, as re-seeded: converged after one update, inertia 0.
    Eigen::MatrixXd x(3, 2);
    x << 0, 0, 1, 0, 10, 0;
    Eigen::MatrixXd init(3, 2);
    init << 0, 0, 1, 0, 100, 0;
    const kmeans_result r = kmeans(x, init, {});
    CHECK(vec(r.labels) == std::vector<std::uint32_t>{0, 1, 2});
    CHECK(r.centres(2, 0) == 10.0);
    CHECK(r.centres(2, 1) == 0.0);
    CHECK(r.centres(1, 0) == 1.0);
    CHECK(r.inertia == 0.0);
    CHECK(r.iterations == 1);
    CHECK(r.converged);
    CHECK(r.sizes == std::vector<std::size_t>{1, 1, 1});
}

TEST_CASE("silhouette worked by hand") {
    // Points 0, 1, 5, 6 in clusters {0, 1}, {5, 6}: every a = 1.
    // Point 0: b = (5 + 6)/2 = 5.5, s = 4.5/5.5 = 9/11; point 1: b = (4 + 5)/2 = 4.5, s = 7/9;
    // by symmetry 5 and 6 give 7/9 and 9/11. Mean (9/11 + 7/9)/2 = 79/99.
    const Eigen::MatrixXd x = col_vector({0, 1, 5, 6});
    const std::vector<std::uint32_t> labels{0, 0, 1, 1};
    const silhouette_result s = silhouette(x, labels);
    CHECK(s.mean == doctest::Approx(79.0 / 99.0).epsilon(1e-14));
    CHECK(s.points == 4);
    CHECK_FALSE(s.sampled);

    // A point 20 alone in cluster 2 has s = 0 and is farther than the other cluster for the
    // rest (b stays 5.5 or 4.5): mean (2 * 9/11 + 2 * 7/9 + 0)/5 = 316/495.
    const Eigen::MatrixXd x5 = col_vector({0, 1, 5, 6, 20});
    const std::vector<std::uint32_t> labels5{0, 0, 1, 1, 2};
    CHECK(silhouette(x5, labels5).mean == doctest::Approx(316.0 / 495.0).epsilon(1e-14));

    // One cluster only: no b, s = 0 for all.
    const std::vector<std::uint32_t> one{0, 0, 0, 0};
    CHECK(silhouette(x, one).mean == 0.0);

    // A sample of 2 of 4 rows: computed among the sampled rows only.
    const silhouette_result sub = silhouette(x, labels, 2, 7);
    CHECK(sub.sampled);
    CHECK(sub.points == 2);
}

TEST_CASE("scaling: log1p and z-score by hand") {
    // Column 0, log: 0, 1, 3, 7 -> 0, ln 2, ln 4, ln 8.
    // Column 1, standardize: 1, 2, 3, 4: mean 2.5, population sd sqrt((2.25+0.25)*2/4) =
    //   sqrt(1.25) -> (-1.5, -0.5, 0.5, 1.5) / sqrt(1.25).
    // Column 2, log_standardize: 0, 1, 3, 7 -> logs 0, L, 2L, 3L (L = ln 2): mean 1.5 L,
    //   sd sqrt(1.25) L -> (-1.5, -0.5, 0.5, 1.5) / sqrt(1.25).
    // Column 3, standardize, constant 0.1: scale 1, mean 0.1, all exactly 0.
    // Column 4, none.
    Eigen::MatrixXd x(4, 5);
    x << 0, 1, 0, 0.1, -3, //
        1, 2, 1, 0.1, 4,   //
        3, 3, 3, 0.1, 5,   //
        7, 4, 7, 0.1, 6;
    scaling_options so;
    so.methods = {feature_scaling::log, feature_scaling::standardize,
                  feature_scaling::log_standardize, feature_scaling::standardize,
                  feature_scaling::none};
    const scaled_features s = scale_features(x, so);
    const double l2 = std::log(2.0);
    const double z[] = {-1.5, -0.5, 0.5, 1.5};
    for (Eigen::Index i = 0; i < 4; ++i) {
        CAPTURE(i);
        CHECK(s.values(i, 0) == doctest::Approx(static_cast<double>(i) * l2).epsilon(1e-15));
        CHECK(s.values(i, 1) == doctest::Approx(z[i] / std::sqrt(1.25)).epsilon(1e-14));
        CHECK(s.values(i, 2) == doctest::Approx(z[i] / std::sqrt(1.25)).epsilon(1e-14));
        CHECK(s.values(i, 3) == 0.0);
        CHECK(s.values(i, 4) == x(i, 4));
    }
    CHECK(s.params.mean[1] == 2.5);
    CHECK(s.params.scale[1] == doctest::Approx(std::sqrt(1.25)).epsilon(1e-15));
    CHECK(s.params.mean[2] == doctest::Approx(1.5 * l2).epsilon(1e-15));
    CHECK(s.params.scale[3] == 1.0);
    CHECK(s.params.mean[0] == 0.0);
    CHECK(s.params.scale[0] == 1.0);

    // New points the same way: frequency 15 -> ln 16 = 4L; 2.5 -> z 0; log_standardize of
    // 1 -> (L - 1.5 L) / (sqrt(1.25) L) = -0.5 / sqrt(1.25); constant column: 0.1 + 2 -> 2.
    Eigen::MatrixXd y(1, 5);
    y << 15, 2.5, 1, 2.1, 9;
    const Eigen::MatrixXd ty = s.params.transform(y);
    CHECK(ty(0, 0) == doctest::Approx(4 * l2).epsilon(1e-15));
    CHECK(ty(0, 1) == 0.0);
    CHECK(ty(0, 2) == doctest::Approx(-0.5 / std::sqrt(1.25)).epsilon(1e-14));
    CHECK(ty(0, 3) == doctest::Approx(2.0).epsilon(1e-15));
    CHECK(ty(0, 4) == 9.0);
    // And back.
    const Eigen::MatrixXd back = s.params.inverse_transform(ty);
    for (Eigen::Index j = 0; j < 5; ++j)
        CHECK(back(0, j) == doctest::Approx(y(0, j)).epsilon(1e-13));
}

TEST_CASE("kmeans: blobs are recovered and k is chosen by the silhouette") {
    const Eigen::MatrixXd x = blobs(60, 11);
    kmeans_options o;
    o.k = 4;
    o.seed = 3;
    const kmeans_result r = kmeans(x, o);
    CHECK(is_blob_partition(r.labels));
    CHECK(r.converged);
    CHECK(r.sizes == std::vector<std::size_t>{60, 60, 60, 60});
    // The inertia of the true partition: squared deviations from each blob's mean.
    double expected = 0.0;
    for (Eigen::Index b = 0; b < 4; ++b) {
        Eigen::RowVector2d mean = Eigen::RowVector2d::Zero();
        for (Eigen::Index i = b; i < x.rows(); i += 4)
            mean += x.row(i);
        mean /= 60.0;
        for (Eigen::Index i = b; i < x.rows(); i += 4)
            expected += (x.row(i) - mean).squaredNorm();
    }
    CHECK(r.inertia == doctest::Approx(expected).epsilon(1e-12));

    k_selection_options ks;
    ks.k_min = 2;
    ks.k_max = 6;
    const kmeans_k_selection sel = kmeans_select_k(x, ks, o);
    CHECK(sel.k == 4);
    CHECK(is_blob_partition(sel.best.labels));
    REQUIRE(sel.table.size() == 5);
    for (std::size_t i = 0; i < 5; ++i) {
        CHECK(sel.table[i].k == i + 2);
        if (i != 2) CHECK(sel.table[i].silhouette < sel.table[2].silhouette);
    }
    CHECK(sel.table[2].inertia == doctest::Approx(expected).epsilon(1e-12));
    CHECK(sel.sample.mean == sel.table[2].silhouette);
    CHECK_FALSE(sel.sample.sampled);
    CHECK(sel.sample.points == 240);

    // On a sample of 100 of the 240 rows: the same k.
    ks.silhouette_limit = 100;
    const kmeans_k_selection sampled = kmeans_select_k(x, ks, o);
    CHECK(sampled.k == 4);
    CHECK(sampled.sample.sampled);
    CHECK(sampled.sample.points == 100);

    // With standardisation (both features have the same spread here) the same partition.
    o.scaling.methods = {feature_scaling::standardize, feature_scaling::standardize};
    CHECK(is_blob_partition(kmeans(x, o).labels));
}

TEST_CASE("kmeans: deterministic for a seed, whatever the thread count") {
    // 40,000 rows: the assignment runs on 2 threads (16,384 rows per thread at least).
    std::mt19937_64 g(5);
    Eigen::MatrixXd x(40'000, 3);
    for (Eigen::Index i = 0; i < x.rows(); ++i)
        for (Eigen::Index j = 0; j < 3; ++j)
            x(i, j) = noise(g) * static_cast<double>(j + 1) + static_cast<double>(i % 3);
    kmeans_options o;
    o.k = 5;
    o.n_init = 2;
    o.max_iter = 8;
    o.seed = 42;
    o.threads = 1;
    const kmeans_result a = kmeans(x, o);
    const kmeans_result a2 = kmeans(x, o);
    o.threads = 2;
    const kmeans_result b = kmeans(x, o);
    for (const kmeans_result* r : {&a2, &b}) {
        CHECK(r->labels == a.labels);
        CHECK(r->centres == a.centres); // bit for bit
        CHECK(r->inertia == a.inertia);
        CHECK(r->iterations == a.iterations);
        CHECK(r->restart == a.restart);
        CHECK(r->sizes == a.sizes);
    }
    // The silhouette too, on a sample of 800 rows.
    const silhouette_result s1 = silhouette(x, a.labels, 800, 9, 1);
    const silhouette_result s2 = silhouette(x, a.labels, 800, 9, 2);
    CHECK(s1.mean == s2.mean);
    CHECK(s1.points == 800);
    CHECK(s1.mean > -1.0);
    CHECK(s1.mean < 1.0);
}

TEST_CASE("kmeans and scaling: bad input") {
    const Eigen::MatrixXd x = col_vector({0, 2, 4});
    kmeans_options o;
    o.k = 0;
    CHECK_THROWS_WITH_AS(kmeans(x, o), "k: must be in [1, n = 3], got 0", invalid_argument);
    o.k = 4;
    CHECK_THROWS_WITH_AS(kmeans(x, o), "k: must be in [1, n = 3], got 4", invalid_argument);
    o.k = 2;
    o.n_init = 0;
    CHECK_THROWS_AS(kmeans(x, o), invalid_argument);
    o.n_init = 1;
    o.tolerance = -1.0;
    CHECK_THROWS_AS(kmeans(x, o), invalid_argument);
    o.tolerance = 1e-4;

    CHECK_THROWS_WITH_AS(kmeans(Eigen::MatrixXd(0, 3), o), "features: no rows", invalid_argument);
    CHECK_THROWS_WITH_AS(kmeans(Eigen::MatrixXd(3, 0), o), "features: no columns",
                         invalid_argument);

    Eigen::MatrixXd bad(3, 2);
    bad << 1, 2, 3, 4, 5, std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH_AS(kmeans(bad, o), "features: row 2, column 1: value is nan", data_error);
    o.scaling.names = {"recency", "monetary"};
    CHECK_THROWS_WITH_AS(kmeans(bad, o), "features: row 2, column \"monetary\": value is nan",
                         data_error);
    bad(2, 1) = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH_AS(scale_features(bad, o.scaling),
                         "features: row 2, column \"monetary\": value is inf", data_error);

    Eigen::MatrixXd neg(3, 2);
    neg << 1, 2, 3, -1, 5, 6;
    o.scaling.methods = {feature_scaling::none, feature_scaling::log};
    CHECK_THROWS_WITH_AS(kmeans(neg, o),
                         "features: row 1, column \"monetary\": value is -1, log scaling needs "
                         "values >= 0",
                         data_error);
    // ... and in new points transformed with fitted parameters.
    neg(1, 1) = 4;
    const scaled_features s = scale_features(neg, o.scaling);
    Eigen::MatrixXd fresh(1, 2);
    fresh << 0, -0.5;
    CHECK_THROWS_AS(s.params.transform(fresh), data_error);
    CHECK_THROWS_AS(s.params.transform(Eigen::MatrixXd(1, 3)), invalid_argument);
    o.scaling.methods = {feature_scaling::log};
    CHECK_THROWS_AS(scale_features(neg, o.scaling), invalid_argument); // one method for two
    o.scaling = {};

    // Initial centres: rows are k, columns must match, values finite.
    CHECK_THROWS_AS(kmeans(x, Eigen::MatrixXd(0, 1), o), invalid_argument);
    CHECK_THROWS_AS(kmeans(x, Eigen::MatrixXd::Zero(4, 1), o), invalid_argument);
    CHECK_THROWS_AS(kmeans(x, Eigen::MatrixXd::Zero(2, 2), o), invalid_argument);
    Eigen::MatrixXd nan_init = Eigen::MatrixXd::Zero(2, 1);
    nan_init(1, 0) = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH_AS(kmeans(x, nan_init, o), "initial_centres: row 1, column 0: value is nan",
                         invalid_argument);

    // k selection: k_min >= 2, k_max in [k_min, n].
    k_selection_options ks;
    ks.k_min = 1;
    ks.k_max = 2;
    CHECK_THROWS_AS(kmeans_select_k(x, ks, o), invalid_argument);
    ks.k_min = 2;
    ks.k_max = 4;
    CHECK_THROWS_AS(kmeans_select_k(x, ks, o), invalid_argument);

    // Silhouette: one label per row.
    const std::vector<std::uint32_t> short_labels{0, 1};
    CHECK_THROWS_AS(silhouette(x, short_labels), invalid_argument);
    const std::vector<std::uint32_t> big_label{0, 1, 3};
    CHECK_THROWS_WITH_AS(silhouette(x, big_label), "labels: row 2: value is 3, must be < n = 3",
                         invalid_argument);
}

TEST_CASE("kmeans: k = n and duplicate points") {
    // k = n: every point its own cluster, inertia 0.
    const Eigen::MatrixXd x = col_vector({3, 1, 2});
    kmeans_options o;
    o.k = 3;
    const kmeans_result r = kmeans(x, o);
    CHECK(r.inertia == 0.0);
    CHECK(r.sizes == std::vector<std::size_t>{1, 1, 1});
    // k = 1: the mean; inertia 2 (deviations -1... of 3, 1, 2 from 2: 1 + 1 + 0).
    o.k = 1;
    const kmeans_result one = kmeans(x, o);
    CHECK(one.centres(0, 0) == 2.0);
    CHECK(one.inertia == 2.0);
    // Fewer distinct points than k: runs, inertia 0.
    const Eigen::MatrixXd dup = col_vector({5, 5, 5, 1});
    o.k = 3;
    const kmeans_result d = kmeans(dup, o);
    CHECK(d.inertia == 0.0);
}

TEST_CASE("the options by name: parse_feature_scaling") {
    CHECK(parse_feature_scaling("none") == feature_scaling::none);
    CHECK(parse_feature_scaling("log") == feature_scaling::log);
    CHECK(parse_feature_scaling("standardize") == feature_scaling::standardize);
    CHECK(parse_feature_scaling("log_standardize") == feature_scaling::log_standardize);
    try {
        parse_feature_scaling("zscore");
        FAIL("no error");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) == "scaling: expected 'none', 'log', 'standardize' or "
                                       "'log_standardize', got 'zscore'");
        CHECK(e.argument() == "scaling");
        CHECK(e.value() == "zscore");
    }
}
