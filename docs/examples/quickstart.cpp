// The C++ quick start: generate a log, summarise it per customer, print the five customers with
// the most repeat purchases. Built and run by ctest (docs_example_quickstart), so it stays true.
#include <custometrics.hpp>

#include <algorithm>
#include <cstdio>
#include <numeric>

int main() {
    using namespace custometrics;
    generate_options gen;
    gen.customers = 2000;
    gen.seed = 7;
    const generated_log sample = generate_transactions(gen);

    summary_options opt;
    opt.unit = time_unit::weeks;
    const customer_summary s = summarize(sample.log.view(), opt);

    std::vector<std::size_t> order(s.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::partial_sort(
        order.begin(), order.begin() + 5, order.end(),
        [&](std::size_t a, std::size_t b) { return s.frequency[a] > s.frequency[b]; });
    std::printf("%-10s %9s %7s %5s %14s\n", "customer", "frequency", "recency", "T",
                "monetary_value");
    for (std::size_t k = 0; k < 5; ++k) {
        const std::size_t i = order[k];
        std::printf("%-10s %9.0f %7.0f %5.0f %14.2f\n",
                    sample.log.customer_keys.key_string(s.customer[i]).c_str(), s.frequency[i],
                    s.recency[i], s.T[i], s.monetary_value[i]);
    }
    return s.size() == gen.customers ? 0 : 1;
}
