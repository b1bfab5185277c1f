// Where revenue comes from and where the business breaks even: Pareto analysis of revenue per
// product and the break-even point of the average product. Built and run by ctest
// (docs_example_pareto_and_break_even), so it stays true.
#include <custometrics.hpp>

#include <cstdio>

int main() {
    using namespace custometrics;
    generate_options gen;
    gen.customers = 5000;
    gen.seed = 11;
    const transaction_log log = generate_transactions(gen).log;

    // Revenue per product (net of returns), then the ranked 80/20 curve with ABC classes.
    const group_stats by_product =
        aggregate_by(log.product, log.product_keys.size(), log.amount, {}, {.with_moments = false});
    const pareto_result p = pareto(by_product.sum);
    std::printf("%zu products: the top %.0f%% make 80%% of revenue; the top 20%% make %.0f%%; "
                "Gini %.3f\n",
                p.size(), 100 * p.entities_for_80pct, 100 * p.top20_share, p.gini.gini);
    std::printf("class A: %zu products with %.0f%% of revenue\n", p.class_count[0],
                100 * p.class_share[0]);

    // Break-even of a product line priced 50 with unit variable cost 30 and fixed costs 40,000.
    const cvp_model model{40'000.0, 50.0, 30.0};
    const break_even_point be = break_even(model);
    const margin_of_safety_result mos = margin_of_safety(model, 2'500.0);
    std::printf("break-even: %.0f units (revenue %.0f); at 2,500 units the margin of safety is "
                "%.0f%%\n",
                be.units, be.revenue, 100 * mos.ratio);
    return be.defined && be.units == 2000.0 && p.defined ? 0 : 1;
}
