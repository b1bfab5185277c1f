// Summarises a three-row log through the installed library and checks the hand-worked result:
// customer 7 buys on days 0 and 3 (10 and 20), the observation ends on day 5, so
// frequency 1, recency 3, T 5, monetary value 20.
#include <custometrics.hpp>

#include <iostream>

int main() {
    using namespace custometrics;
    transaction_log log;
    for (const auto& [key, day, amount] :
         {std::tuple{7, 0, 10.0}, std::tuple{7, 3, 20.0}, std::tuple{9, 5, 5.0}}) {
        log.customer.push_back(log.customer_keys.insert(std::int64_t{key}));
        log.time.push_back(day * seconds_per_day);
        log.amount.push_back(amount);
    }
    const customer_summary s = summarize(log.view());
    const bool ok = s.size() == 2 && s.frequency[0] == 1 && s.recency[0] == 3 && s.T[0] == 5 &&
                    s.monetary_value[0] == 20;
    std::cout << (ok ? "consumer: ok\n" : "consumer: WRONG RESULT\n");
    return ok ? 0 : 1;
}
