// Loyalty and buyer types: per-customer signals, six loyalty types with the rule behind each
// label, the satisfaction x loyalty quadrants, Net Promoter categories and score, the
// Tightwad-Spendthrift spending types, and churn-reason tallies against a reference.
//
// Signals. Behavioural signals come from the transaction log (`behaviour_signals_from`), one
// value per dense customer id; a signal that cannot be measured is NaN (a customer with two
// purchase days has no regularity), never a guess:
// - purchase days: distinct calendar days (UTC) with a purchase row (amount >= 0);
// - regularity_cv: coefficient of variation of the gaps between consecutive purchase days,
//   sample standard deviation (n - 1, as pandas' `std`) over the mean; needs 3 purchase days;
// - mean_interval: mean gap in days, (last day - first day) / (purchase days - 1); needs 2;
// - recency_ratio: days since the last purchase day (to the observation end) over the mean
//   gap: the customer's recency measured in their own purchase cycles; needs 2;
// - tenure_days: observation end day - first purchase day;
// - frequency_trend: (n2 - n1) / (n1 + n2) with n1, n2 the purchase days before and from the
//   split day (default: the middle day of [first day of the log, observation end]); -1 = only
//   buys in the earlier period, +1 = only in the later one; NaN when the first purchase is on or
//   after the split (the customer was not there to compare);
// - discount_share: purchase rows bought on discount (discount > 0, or amount below the row's
//   list amount) over purchase rows (needs a discount or list-amount column; NaN otherwise);
// - rhythm_share: purchase opportunities in the customer's own rhythm taken here (see the
//   loyalty types below); NaN without a rhythm;
// - promotion_share and promotion_lift: purchase days inside the listed promotions over
//   purchase days, and that over the share of the log's days inside them (NaN without
//   promotions);
// - return_rows and return_share: return rows (amount < 0) and refunded amount / gross
//   purchases (NaN when gross purchases are 0);
// - payment_delay: mean days late over the purchase rows (needs a payment-delay column).
// Stated signals are what the user knows per customer (`stated_signals`): satisfaction (whole
// 1..5), likelihood to recommend (whole 0..10), referrals made and complaints (>= 0), share of
// wallet (0..1) and whether a real alternative supplier exists. Missing is `std::nullopt`;
// a NaN is an error, not a missing value (Python's NaN/None become nullopt in the bindings).
//
// The six loyalty types of the article (German sentences quoted from it, with a translation).
// Every condition below is true, false or undetermined (a signal it needs is missing). The rules
// are tried in this order and the first whose condition is *true* gives the label; a rule whose
// condition is undetermined does not fire (the next one is tried). A customer no rule fires for
// is `unknown`, with the signals that kept rules from deciding listed in `missing` (empty when
// every rule was decided and none applied, e.g. a buyer who lapsed).
//
// Behaviour first: every rule has a form the transaction log (and the CRM's complaint and
// referral counts) can decide, so a log without a survey is labelled. Where the survey asked the
// quantity a behavioural stand-in estimates (satisfaction for returns, share of wallet for the
// rhythm share), the answer is the measure itself and decides; the stand-in decides where it was
// not asked. With the default `loyalty_rules`:
//     active       = purchase days >= 3 and recency_ratio <= 2        (still buys, repeatedly)
//     regular      = purchase days >= 3 and regularity_cv <= 0.5 and recency_ratio <= 2
//     dissatisfied = satisfaction <= 2 where answered, else return_share >= 0.2
//     vocal        = complaints >= 1 or recommend <= 6 (a detractor)
//     recommends   = recommend >= 9 or referrals >= 1
//     elsewhere    = share_of_wallet < 0.5 where answered, else rhythm_share < 0.8
//     on_discount  = discount_share >= 0.5
//                    or (promotion_share >= 0.5 and promotion_lift >= 2)
//   1 terrorist  dissatisfied and vocal.
//                "Terrorist - Ein Kaeufer, der bereit ist, sich gegen bestimmte Dividenden zu
//                engagieren" (a buyer ready to act against [the firm] for some gain); and: "ein
//                unzufriedener Kunde [informiert] 10 Personen" (a dissatisfied customer tells 10).
//   2 hostage    has_alternative == false and purchase days >= 2 and recency_ratio <= 2,
//                whatever the satisfaction. "Geisel - ein Kaeufer, der keine Wahl hat" (a buyer
//                who has no choice). No behavioural stand-in: only the user knows the market.
//   3 mercenary  on_discount. "Soeldner - ein Kunde, der sich aufkaufen laesst" (a customer who
//                can be bought); the article's counterpart of loyalty is buying "ohne durch
//                fallende Preise stimuliert zu werden" (without being stimulated by falling
//                prices).
//   4 advocate   regular and recommends. "Anhaenger - ein Kunde, der regelmaessig einkauft und
//                aktiv fuer das Unternehmen wirbt" (buys regularly and actively promotes us).
//   5 switcher   active and elsewhere. "Ueberlaeufer - ein Kunde, der regelmaessig sowohl beim
//                Unternehmen als auch bei Wettbewerbern einkauft" (buys regularly both from us
//                and from competitors). Irregular timing alone is not a switcher.
//   6 loyal      regular and no recommendation recorded (recommend < 9 and referrals < 1, each
//                where known; neither known: "no recommendation recorded"). "treues Thema - ein
//                Verbraucher, der systematisch Einkaeufe taetigt, ohne weitere Produktwerbung"
//                (buys systematically, without promoting the product further).
// ("and" is true when all parts are, false when one is; "or" true when one part is, false when
// all are.) So a vocal, dissatisfied customer is a terrorist even when locked in; a locked-in
// buyer is a hostage even when satisfied; a regular buyer who recommends is an advocate whatever
// their share of wallet. Each label carries the rule that fired with the values behind it, e.g.
// `advocate: purchase days 4 >= 3, regularity_cv 0 <= 0.5, recency_ratio 0.5 <= 2, recommend 10
// >= 9`, and `decided_by` names its signals by source, the log ("behaviour") or what the user
// knows per customer ("stated"), e.g. `behaviour: purchase_days, regularity_cv, recency_ratio;
// stated: recommend`.
//
// The behavioural stand-ins (see `behaviour_signals_from`):
// - rhythm_share ("gaps that match buying elsewhere"): the customer's own cycle is the lower
//   median of their gaps between purchase days; a gap covers max(1, round(gap / cycle)) cycles,
//   so a gap of 1.5 cycles or more is a cycle (or more) bought elsewhere or not at all; rhythm
//   share = gaps / cycles covered. It is measured only for a customer with a rhythm: at least two
//   gaps shorter than 1.5 cycles, at least half of all gaps, with a coefficient of variation
//   (n - 1) <= max_regular_cv; otherwise NaN ("no rhythm to compare with"). Example: gaps 10, 10,
//   30, 10 days: cycle 10, cycles 1 + 1 + 3 + 1 = 6, rhythm share 4 / 6 = 0.667 < 0.8: switcher.
// - promotion_share: purchase days inside a promotion the user lists over purchase days;
//   promotion_lift = promotion_share / the share of the log's days [first day, observation end]
//   inside a promotion, so buying evenly through the year gives a lift of 1, not a mercenary.
// - discount_share: purchase rows bought on discount (discount > 0, or amount paid below the
//   row's list amount) over purchase rows.
// - return_share: refunded / gross purchases.
//
// Quadrants (Jones & Sasser 1995, "Why satisfied customers defect", Harvard Business Review
// 73(6): 88-99, exhibit "Four types of loyalty and defection"): satisfaction high =
// satisfaction >= `high_satisfaction` (4 on 1..5; Jones & Sasser count only "completely
// satisfied" as high, set 5 for that), loyalty high = `regular` above. They are written with
// names of their own so that no word means a type and a quadrant in one output: high/high =
// `js_loyalist`, refined to `js_apostle` when the customer also recommends; low/low =
// `js_defector`, refined to `js_terrorist` when also vocal; high satisfaction, low loyalty =
// `js_mercenary`; low satisfaction, high loyalty = `js_hostage` (Jones & Sasser's loyalist,
// apostle, defector, terrorist, mercenary, hostage). The refinement needs its signals; without
// them the base quadrant stands.
//
// Net Promoter (Reichheld 2003, "The one number you need to grow", HBR 81(12): 46-54):
// promoters answer 9-10, passives 7-8, detractors 0-6; the score is 100 (promoters -
// detractors) / answered, in -100..100, overall and per segment; undefined (nullopt) when
// nobody answered.
//
// Spending types (Rick, Cryder & Loewenstein 2008, "Tightwads and spendthrifts", Journal of
// Consumer Research 34(6): 767-782): four items, raw answers as printed in the questionnaire:
// (1) "which description fits you better", 1 (tightwad: difficulty spending money) .. 11
// (spendthrift: difficulty controlling spending); (2a) "do you have trouble limiting your
// spending?" 1 never .. 5 always; (2b) "do you have trouble spending money?" 1 never .. 5
// always, reverse-scored as 6 - answer; (3) the shopping-trip scenario, 1 (like the shopper who
// holds back) .. 5 (like the shopper who cannot resist the sale). Total 4..26: tightwad <= 11,
// spendthrift >= 19, unconflicted between. Without answers, `spending_proxy` compares a spend
// figure with comparable customers (same group): below the group's 25% quantile (linear, as
// numpy's default) "tightwad", above the 75% quantile "spendthrift", else "unconflicted" --
// by default the cuts are the shares of a reference (below), so that the proxy's shares are the
// reference's: the article's 24% tightwads, 61% unconflicted and 15% spendthrifts ("24% -
// Geizhaelse; 61 % sind durchschnittliche Kaeufer; 15% - Spender", from Rick, Cryder &
// Loewenstein 2008, whose sample gave these shares) cut below the 24% and above the 85%
// quantile. That is a proxy of spending *level*, not of the pain of paying the scale measures,
// and is always reported as a proxy; its shares match the reference by construction (up to
// ties), so only the questionnaire's shares are tested against it.
//
// Churn reasons: coded answers (no_longer_needed, too_expensive, quality, service,
// competitor_offer, moved, other) tallied with shares and, given a reference distribution,
// Pearson's chi-square goodness-of-fit test (`chi_square_fit`: df = categories with a share > 0
// minus 1, p from Boost.Math's chi-squared distribution), with a warning when an expected count
// is below 5 (Cochran's rule). A reference may give a category the share 0 (it has no such
// category): answers there are reported as "not in the reference" and the test runs on the
// other answers. Built-in reference "article", the article's reasons for leaving ("Gruende fuer
// Kundenabbrueche"): 68% "unzureichende Einstellung gegenueber Kunden" = service, 14%
// "Unzufriedenheit mit der Qualitaet des Produkts" = quality, 9% "Angebote der Konkurrenz sind
// interessanter" = competitor_offer, 5% "Aenderung der Art der Aktivitaet" = no_longer_needed,
// 3% "geografische Verlagerung" = moved, 1% other; too_expensive 0 (not among its reasons).
//
// Example:
//     behaviour_signals b = behaviour_signals_from(log.view());
//     stated_signals s(log.customer_keys.size());
//     s.satisfaction[0] = 5; s.recommend[0] = 10;
//     loyalty_result r = classify_loyalty(b, s);
//     // r.type[0], r.rule[0], r.missing[0], r.quadrant[0]
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/csv.hpp"
#include "custometrics/csv_table.hpp"
#include "custometrics/key_index.hpp"
#include "custometrics/transactions.hpp"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE

/// The six loyalty types and `unknown`.
enum class loyalty_type : std::uint8_t {
    advocate,
    loyal,
    switcher,
    mercenary,
    hostage,
    terrorist,
    unknown
};
inline constexpr std::size_t n_loyalty_types = 7;
/// "advocate", "loyal", ... "unknown".
std::string_view to_string(loyalty_type t) noexcept;

/// The Jones & Sasser quadrants, with their refinements (apostle, terrorist); written with the
/// prefix `js_` ("js_mercenary") so that no word names a type and a quadrant.
enum class quadrant : std::uint8_t {
    loyalist,
    apostle,
    mercenary,
    hostage,
    defector,
    terrorist,
    unknown
};
inline constexpr std::size_t n_quadrants = 7;
/// "js_loyalist", "js_apostle", ... "unknown".
std::string_view to_string(quadrant q) noexcept;

/// A promotion period the user lists: days from `start` to `end` (seconds, both days included).
struct promotion_period {
    std::int64_t start = 0;
    std::int64_t end = 0;
};

/// Reads the promotion periods of a table with the columns `start` and `end` (dates or times
/// as `parse_time` reads them; the whole days from start to end count), one period per row;
/// other columns are ignored. Throws `parse_error` naming the file, line, column and value for
/// a missing column, a field that is not a date, and an end before the start. Example: a row
/// "2024-11-25,2024-12-01" is the 7 days of a Black Friday week.
std::vector<promotion_period> read_promotion_file(const csv_table& table);

/// Options of `behaviour_signals_from`.
struct behaviour_options {
    std::optional<std::int64_t> observation_end; ///< seconds; default: the last row
    std::optional<std::int64_t> trend_split;     ///< seconds; default: the middle day (see top)
    std::span<const double> discount = {};       ///< per row, >= 0; > 0 = bought on discount
    std::span<const double> payment_delay = {};  ///< per row, days late, >= 0
    std::span<const double> list_amount = {};    ///< per row, finite; amount < list = on discount
    std::span<const promotion_period> promotions = {}; ///< start <= end each
    double rhythm_max_cv = 0.5; ///< rhythm_share: the short gaps' CV must not exceed this
};

/// Behavioural signals, indexed by dense customer id; NaN = cannot be measured (see top).
struct behaviour_signals {
    std::vector<std::int64_t> purchase_days;
    std::vector<std::int64_t> purchase_rows;
    std::vector<std::int64_t> return_rows;
    std::vector<double> regularity_cv;
    std::vector<double> mean_interval;
    std::vector<double> days_since_last;
    std::vector<double> recency_ratio;
    std::vector<double> tenure_days;
    std::vector<double> frequency_trend;
    std::vector<double> discount_share;
    std::vector<double> rhythm_share;
    std::vector<double> promotion_share;
    std::vector<double> promotion_lift;
    std::vector<double> return_share;
    std::vector<double> payment_delay;
    std::vector<double> revenue; ///< net: purchases - refunds
    std::int64_t observation_end = 0;
    std::int64_t trend_split = 0;
    double promotion_day_share = std::numeric_limits<double>::quiet_NaN(); ///< of the log's days

    std::size_t size() const noexcept { return purchase_days.size(); }
};

/// Computes the behavioural signals of every customer of `log` (see the top of the file).
/// Throws what `transaction_view::validate` throws, `invalid_argument` for an empty log, a
/// discount, delay or list-amount column of another length or a promotion that ends before it
/// starts, and `data_error` naming the row and customer for a row after the observation end or
/// a NaN, infinite or negative discount or delay, or a NaN or infinite list amount.
behaviour_signals behaviour_signals_from(const transaction_view& log,
                                         const behaviour_options& options = {});

/// What the user knows per customer, indexed by dense customer id; nullopt = not known.
struct stated_signals {
    std::vector<std::optional<double>> satisfaction;    ///< whole number 1..5
    std::vector<std::optional<double>> recommend;       ///< likelihood to recommend, whole 0..10
    std::vector<std::optional<double>> referrals;       ///< >= 0
    std::vector<std::optional<double>> complaints;      ///< >= 0
    std::vector<std::optional<double>> share_of_wallet; ///< 0..1
    std::vector<std::optional<bool>> has_alternative;

    stated_signals() = default;
    /// Every signal missing for `n` customers.
    explicit stated_signals(std::size_t n)
        : satisfaction(n), recommend(n), referrals(n), complaints(n), share_of_wallet(n),
          has_alternative(n) {}

    /// Throws `invalid_argument` when a column's length is not `n`, and `data_error` naming
    /// the signal, the customer (its key when `keys` is given) and the value for a value out of
    /// range, not whole where it must be, or NaN.
    void validate(std::size_t n, const key_index* keys = nullptr) const;
};

/// Thresholds of the loyalty rules and quadrants (see the top of the file for how they apply).
struct loyalty_rules {
    double min_purchase_days = 3;     ///< regular: at least this many purchase days
    double max_regular_cv = 0.5;      ///< regular: regularity_cv <= this; irregular: above
    double max_recency_ratio = 2;     ///< still buying: recency_ratio <= this
    double high_satisfaction = 4;     ///< satisfied: satisfaction >= this
    double low_satisfaction = 2;      ///< dissatisfied: satisfaction <= this
    double promoter_min = 9;          ///< recommends: recommend >= this
    double detractor_max = 6;         ///< vocal: recommend <= this
    double min_referrals = 1;         ///< recommends: referrals >= this
    double min_complaints = 1;        ///< vocal: complaints >= this
    double min_share_of_wallet = 0.5; ///< loyal: share >= this; switcher: below
    double min_discount_share = 0.5;  ///< mercenary: discount_share >= this
    double min_rhythm_share = 0.8;    ///< switcher (no share of wallet): rhythm_share below
    double min_promotion_share = 0.5; ///< mercenary: promotion_share >= this ...
    double min_promotion_lift = 2;    ///< ... and promotion_lift >= this
    double min_return_share = 0.2;    ///< dissatisfied (no satisfaction): return_share >= this

    /// Throws `invalid_argument` naming the field for a NaN or out-of-range threshold.
    void validate() const;
};

/// Reads thresholds from a flat JSON object (`{"max_regular_cv": 0.4}`); fields not named keep
/// their defaults. Throws `parse_error` naming `source` for bad JSON or an unknown field.
loyalty_rules parse_loyalty_rules(std::string_view json, const std::string& source = "<rules>");

/// The thresholds of the JSON file at `path` (`parse_loyalty_rules`, naming the file); an empty
/// path: the defaults. A file that cannot be read is an `invalid_argument` naming `argument`
/// and the path. Example: `read_loyalty_rules("rules.json", "--rules").max_regular_cv`.
loyalty_rules read_loyalty_rules(const std::string& path, std::string_view argument = "rules");

/// Thresholds by name, as a face gives them (a Python dict: `{"max_regular_cv": 0.4}`); names
/// not given keep their defaults. Throws `invalid_argument` naming `argument` (value: the name)
/// for an unknown name, and what `loyalty_rules::validate` throws for a bad value.
loyalty_rules loyalty_rules_from(std::span<const std::pair<std::string, double>> values,
                                 std::string_view argument = "rules");

/// Labels of every customer, indexed by dense customer id.
struct loyalty_result {
    std::vector<loyalty_type> type;
    std::vector<std::string> rule;                 ///< the rule that fired, with its values
    std::vector<std::string> decided_by;           ///< its signals: "behaviour: ...; stated: ..."
    std::vector<std::vector<std::string>> missing; ///< for unknown: signals that were missing
    std::vector<quadrant> quadrant_of;
    std::vector<std::string> quadrant_rule;
    std::array<std::size_t, n_loyalty_types> type_count{};
    std::array<std::size_t, n_quadrants> quadrant_count{};

    std::size_t size() const noexcept { return type.size(); }
    /// Share of all customers with type `t`.
    double share(loyalty_type t) const noexcept {
        return type.empty() ? 0.0
                            : static_cast<double>(type_count[static_cast<std::size_t>(t)]) /
                                  static_cast<double>(type.size());
    }
};

/// Labels every customer (see the top of the file). `stated` may be default-constructed (every
/// signal missing) or hold one entry per customer. Throws what `stated_signals::validate` and
/// `loyalty_rules::validate` throw.
loyalty_result classify_loyalty(const behaviour_signals& behaviour, const stated_signals& stated,
                                const loyalty_rules& rules = {}, const key_index* keys = nullptr);

/// Net Promoter category of one answer.
enum class nps_category : std::uint8_t { promoter, passive, detractor, missing };
/// "promoter", "passive", "detractor", "missing".
std::string_view to_string(nps_category c) noexcept;

/// Counts and score of one group of answers.
struct nps_score {
    std::size_t promoters = 0, passives = 0, detractors = 0, missing = 0;
    std::optional<double> score; ///< -100..100; nullopt when nobody answered

    std::size_t answered() const noexcept { return promoters + passives + detractors; }
};

/// Categories per customer, the overall score and one per segment.
struct nps_result {
    std::vector<nps_category> category;
    nps_score overall;
    std::vector<std::string> segments; ///< distinct segment names, ascending
    std::vector<nps_score> by_segment; ///< parallel to `segments`
};

/// Net Promoter categories and scores of `recommend` (whole 0..10 or nullopt), overall and per
/// `segment` (one name per customer, or empty for none). Throws `data_error` naming the
/// customer for a value outside 0..10, not whole, or NaN, and `invalid_argument` when
/// `segment` has another length.
nps_result net_promoter(std::span<const std::optional<double>> recommend,
                        std::span<const std::string> segment = {}, const key_index* keys = nullptr);

/// The same for answers given as numbers with NaN for no answer (a data frame's column, where
/// NaN is pandas' missing value). Example: {10, NaN, 3} -> promoter, missing, detractor; score
/// 100 (1 - 1) / 2 = 0.
nps_result net_promoter(std::span<const double> recommend,
                        std::span<const std::string> segment = {});

/// Spending types of the Tightwad-Spendthrift scale (and its proxy).
enum class spending_type : std::uint8_t { tightwad, unconflicted, spendthrift, unknown };
/// "tightwad", "unconflicted", "spendthrift", "unknown".
std::string_view to_string(spending_type t) noexcept;

/// Raw answers to the four items, as printed in the questionnaire (see the top of the file).
struct tightwad_answers {
    int describe = 0;         ///< 1 (tightwad) .. 11 (spendthrift)
    int trouble_limiting = 0; ///< 1 never .. 5 always
    int trouble_spending = 0; ///< 1 never .. 5 always; reverse-scored
    int sale_scenario = 0;    ///< 1 (holds back) .. 5 (cannot resist)
};

/// The scale total 4..26 of `a` (item 2b reverse-scored as 6 - answer). Throws `data_error`
/// naming `who` (a customer), the item and the value for an answer out of its range.
int tightwad_total(const tightwad_answers& a, std::string_view who = "answers");

/// tightwad for totals <= 11, spendthrift for >= 19, else unconflicted.
spending_type spending_type_of(int total) noexcept;

/// Totals and types of many Tightwad-Spendthrift questionnaires, one per position.
struct tightwad_scores {
    std::vector<std::int64_t> total; ///< 4..26, as `tightwad_total`
    std::vector<spending_type> type; ///< as `spending_type_of`
};

/// Scores the four items of each respondent i (`describe[i]`, ...). Throws `invalid_argument`
/// ("tightwad_spendthrift") when the items differ in length, and `data_error` naming "row i",
/// the item and the value for an answer out of its range. Example: answers 6, 3, 1, 3 give
/// 6 + 3 + (6 - 1) + 3 = 17, unconflicted.
tightwad_scores score_tightwad(std::span<const std::int64_t> describe,
                               std::span<const std::int64_t> trouble_limiting,
                               std::span<const std::int64_t> trouble_spending,
                               std::span<const std::int64_t> sale_scenario);

/// The behavioural proxy: `spend[i]` against the `low_quantile` and `high_quantile` of the
/// customers of its group (`group[i]`, or all customers when empty): below the low one
/// tightwad, above the high one spendthrift; NaN spend gives `unknown`. The defaults cut at the
/// article's reference shares, 0.24 and 1 - 0.15 = 0.85. Throws `invalid_argument` when `group`
/// has another length or the quantiles are not 0 <= low <= high <= 1.
std::vector<spending_type> spending_proxy(std::span<const double> spend,
                                          std::span<const std::uint32_t> group = {},
                                          double low_quantile = 0.24, double high_quantile = 0.85);

/// The proxy cut at the shares of a spending reference (tightwad, unconflicted, spendthrift):
/// below its first share's quantile and above 1 - its last share; a cut given as
/// `low_quantile` or `high_quantile` replaces that one. Throws what `spending_proxy` throws,
/// and `invalid_argument` ("reference") for a reference that is not three shares >= 0 summing
/// to 1. Example: the article's reference with `high_quantile` 0.9 cuts at 0.24 and 0.9.
std::vector<spending_type> spending_proxy_at(std::span<const double> spend,
                                             std::span<const std::uint32_t> group,
                                             std::span<const double> reference,
                                             std::optional<double> low_quantile = {},
                                             std::optional<double> high_quantile = {});

/// Coded churn or non-purchase reasons.
enum class churn_reason : std::uint8_t {
    no_longer_needed,
    too_expensive,
    quality,
    service,
    competitor_offer,
    moved,
    other
};
inline constexpr std::size_t n_churn_reasons = 7;
/// "no_longer_needed", "too_expensive", ... "other".
std::string_view to_string(churn_reason r) noexcept;
/// The reason of a code (as `to_string` writes it); throws `data_error` naming `what` otherwise.
churn_reason parse_churn_reason(std::string_view text, std::string_view what = "reason");

/// Pearson's chi-square goodness-of-fit test of counts per category against reference shares.
struct goodness_of_fit {
    bool tested = false;                    ///< false: no answers in the reference's categories
    std::vector<double> expected;           ///< tested total * share; 0 where the share is 0
    std::vector<std::uint8_t> in_reference; ///< 1 where the reference share is > 0
    std::size_t tested_total = 0;           ///< answers in categories with a share > 0
    std::size_t not_in_reference = 0;       ///< answers in categories with the share 0
    double chi_square = 0.0;
    int df = 0; ///< categories with a share > 0, minus 1
    double p_value = 1.0;
    std::vector<std::string> warnings; ///< answers not in the reference; expected counts < 5
};

/// Tests `counts` (one per category, named by `names`) against `reference` (shares >= 0, at
/// least two > 0, summing to 1 within 1e-6). A category with share 0 is left out: its answers
/// are counted in `not_in_reference` and named in a warning, and the expected counts are the
/// other answers times the shares. Throws `invalid_argument` naming `argument` for a reference
/// of another length, a share that is NaN, negative or above 1, fewer than two shares > 0, or
/// shares that do not sum to 1. Example: counts {60, 5, 35} against {0.5, 0, 0.5}: 5 not in the
/// reference, expected 47.5 and 47.5, chi-square 2 * 12.5^2 / 47.5 = 6.579, df 1.
goodness_of_fit chi_square_fit(std::span<const std::size_t> counts,
                               std::span<const double> reference,
                               std::span<const std::string_view> names,
                               std::string_view argument = "reference");

/// The names of the built-in churn references: "article".
inline constexpr std::array<std::string_view, 1> churn_reference_names{"article"};
/// A built-in churn reference by name (see the top of the file), seven shares in the order of
/// `churn_reason`. Throws `invalid_argument` naming `argument`, with the name as value and the
/// names there are, for another name.
std::vector<double> churn_reference(std::string_view name,
                                    std::string_view argument = "churn_reference");

/// The names of the built-in spending-type references: "article" (24/61/15, Rick et al. 2008;
/// the default) and "quartiles" (25/50/25, the proxy's former cuts).
inline constexpr std::array<std::string_view, 2> spending_reference_names{"article", "quartiles"};
/// A spending-type reference by name: the shares of tightwad, unconflicted, spendthrift.
/// Throws `invalid_argument` naming `argument` for another name.
std::vector<double> spending_reference(std::string_view name,
                                       std::string_view argument = "spending_reference");

/// `parse_churn_reason` of each answer, errors naming "<what>: row <i>".
std::vector<churn_reason> parse_churn_reasons(std::span<const std::string> answers,
                                              std::string_view what = "reasons");

/// Tally of churn reasons and the goodness-of-fit test against a reference distribution.
struct churn_reason_tally {
    std::array<std::size_t, n_churn_reasons> count{};
    std::size_t total = 0;
    std::array<double, n_churn_reasons> share{}; ///< count / total (0 when total is 0)
    bool tested = false; ///< a reference was given and answers fall in its categories
    std::array<bool, n_churn_reasons> in_reference{}; ///< the reference's share is > 0
    std::size_t not_in_reference = 0; ///< answers in categories with the reference share 0
    std::array<double, n_churn_reasons> expected{}; ///< total * reference share
    double chi_square = 0.0;
    int df = 0;
    double p_value = 1.0;
    std::vector<std::string> warnings;
};

/// Tallies `answers` and, when `reference` (7 shares in the order of `churn_reason`, each >= 0,
/// summing to 1 within 1e-6) is given, tests them against it with `chi_square_fit` (answers in
/// a category of share 0 are not in the reference). Throws `invalid_argument` naming the reason
/// for a bad reference.
churn_reason_tally tally_churn_reasons(std::span<const churn_reason> answers,
                                       std::span<const double> reference = {});

/// Reads a churn reference, a JSON object with the share of each of the seven churn reasons
/// (`{"price": 0.3, "quality": 0.2, ...}`, names as `parse_churn_reason` reads them), into the
/// order of `churn_reason`, ready for `tally_churn_reasons`.
///
/// Every reason needs a share; the shares themselves are checked by `tally_churn_reasons`.
/// Throws `parse_error` for malformed JSON, `data_error` for an unknown reason name (naming
/// `source`) and `invalid_argument(argument, "<source>: no share for \"<reason>\"")` for a
/// missing one. Example: a file with all seven members at 1/7 gives seven shares of 1/7.
std::vector<double> parse_churn_reference(std::string_view json, const std::string& source,
                                          std::string_view argument = "churn_reference");

/// A churn reference as the command-line tool takes it: a built-in name
/// (`churn_reference_names`), else the path of a JSON file (`parse_churn_reference`); empty:
/// none (an empty vector). A file that cannot be opened is an `invalid_argument` naming
/// `argument` and the path. Example: `read_churn_reference("article", "--churn-reference")`.
std::vector<double> read_churn_reference(const std::string& name_or_path,
                                         std::string_view argument = "churn_reference");

/// The log's customer of each row of a per-customer table (signals, tickets), by key.
///
/// `id[r]` is the dense customer id of row r, or `no_id` when the log has no such customer
/// (row r is then listed in `unmatched`); `repeated` is the first row whose customer an earlier
/// row (`repeated_first`) already named, if any. Built by `match_customer_keys`.
struct key_match {
    std::vector<entity_id> id;           ///< per row of the table
    std::vector<std::size_t> unmatched;  ///< rows whose key is not a customer of the log
    std::optional<std::size_t> repeated; ///< first row naming a customer a second time
    std::size_t repeated_first = 0;      ///< the earlier row of the same customer

    /// Throws `data_error` "<argument>: row <r>: customer \"<key>\" appears twice (first in
    /// row <f>)" with the row and key in its context when `repeated` is set.
    void check_unique(std::string_view argument, const key_index& customers) const;

    /// Scatters a numeric column of the table (`values`, one per row, NaN: missing) to the
    /// customers (`out`, one per customer of the log); unmatched rows are skipped, and an empty
    /// `values` (a column not given) scatters nothing. Throws `invalid_argument` (`name`) for
    /// another length than the table's; into a yes/no signal, `data_error` naming the row and
    /// value for a value that is not 0 or 1. Example: rows {B, X} matched to ids {1, no_id}
    /// with values {4, 5} set out[1] = 4.
    void scatter(std::span<const double> values, std::vector<std::optional<double>>& out,
                 std::string_view name) const;
    void scatter(std::span<const double> values, std::vector<std::optional<bool>>& out,
                 std::string_view name) const;
};

/// Matches the keys of a table's rows to `customers`, the one matching rule of the signal file
/// and the Python signal and ticket tables.
///
/// Text keys are looked up as text in a text index; in an integer index a text key must be a
/// whole decimal number (anything else, "1.0" or " 1", is not a customer). Example: keys
/// {"B", "X", "A"} against the index {A, B} give id {1, no_id, 0} and unmatched {1}.
key_match match_customer_keys(std::span<const std::string> keys, const key_index& customers);

/// The same for integer keys (an integer table column): a text index matches none of them.
key_match match_customer_keys(std::span<const std::int64_t> keys, const key_index& customers);

/// The same for a key column encoded once (a face's column: `keys` holds its distinct keys,
/// `rows` the id of each row's key in it), each key matched by the rule of its type above.
/// Example: text keys {"B", "X"} with rows {0, 1, 0} against the index {A, B} give id
/// {1, no_id, 1}, unmatched {1} and repeated row 2 (first in row 0).
key_match match_customer_keys(const key_index& keys, std::span<const entity_id> rows,
                              const key_index& customers);

/// The stated signals of `customers` customers from a table given as named columns (one value
/// per row of the table, NaN: missing), its rows matched to the customers by `rows`: the
/// Python face's signals frame.
///
/// The names are the members of `stated_signals` (satisfaction, recommend, referrals,
/// complaints, share_of_wallet, has_alternative); a signal not among `columns` is missing for
/// every customer, as are the customers no row names. The columns are scattered in that order
/// by `key_match::scatter`, which throws `invalid_argument` naming a column of another length
/// than the table's and `data_error` for a has_alternative value that is not 0 or 1; an unknown
/// name is an `invalid_argument` naming `argument`. Example: rows {B, X} matched to ids
/// {1, no_id} and {"satisfaction", {4, 5}} give satisfaction {missing, 4} for two customers.
stated_signals
stated_signals_from(const key_match& rows, std::size_t customers,
                    std::span<const std::pair<std::string, std::span<const double>>> columns,
                    std::string_view argument = "signals");

/// The per-customer signals of a CSV file, matched to the customers of a log.
struct signal_file {
    stated_signals stated;                                 ///< one entry per customer of the log
    std::vector<std::string> segment;                      ///< per customer; empty without column
    std::vector<std::optional<tightwad_answers>> spending; ///< empty without the four items
    std::vector<std::optional<double>> service_tickets;    ///< empty without the column
    std::vector<churn_reason> churn_answers; ///< every coded reason of the file, matched or not
    std::vector<std::string> unmatched;      ///< keys of rows whose customer is not in the log
    std::vector<std::string> ignored;        ///< columns of the file that are not signals
};

/// Reads a signals table (`read_csv_table`) whose column `customer_id` holds the customer keys
/// of `customers`, and any of: satisfaction, recommend, referrals, complaints, share_of_wallet,
/// has_alternative (1/0, yes/no, true/false), segment, churn_reason (a code, see
/// `parse_churn_reason`), service_tickets, and the four Tightwad-Spendthrift items
/// tw_describe, tw_trouble_limiting, tw_trouble_spending, tw_sale_scenario (all four or none).
/// An empty field is missing. Throws `parse_error` naming the file, line, column and value for
/// a field that is not a number (or code), a customer that appears twice and a missing
/// customer_id column; `data_error` naming the customer and the value for a value out of its
/// range (see `stated_signals::validate`, `tightwad_total`).
signal_file read_signal_file(const csv_table& table, const key_index& customers);

/// The signals CSV at `path` (`read_csv_table`, then the above); an empty path: none. A file
/// that cannot be opened is an `invalid_argument` naming `argument` (the option that gave it).
/// Example: `read_signal_file("signals.csv", log.customer_keys, "--signals")->unmatched`.
std::optional<signal_file> read_signal_file(const std::string& path, const key_index& customers,
                                            std::string_view argument = "signals");

/// Service tickets per customer of a signals file, for `profitability_inputs::tickets`: the
/// count where the file gives one, 0 where it is empty (no ticket recorded, none raised), and
/// an empty vector when the file has no service_tickets column.
std::vector<double> service_ticket_counts(const signal_file& signals);

/// Counts of spending types by where they come from: the questionnaire (four items answered)
/// or the behavioural proxy; `unknown` are customers with neither.
struct spending_tally {
    /// Per `spending_type` tightwad, unconflicted, spendthrift.
    std::array<std::size_t, 3> questionnaire{}, proxy{};
    std::array<double, 3> questionnaire_share{}, proxy_share{}; ///< of each source's total
    std::size_t questionnaire_total = 0, proxy_total = 0, unknown = 0;
};

/// Everything the loyalty section of the tool shows for one log: the behaviour signals, the
/// signals file (if any), the labels with the shares of each type and quadrant, NPS, the
/// spending type per customer with its source, and the churn-reason tally.
struct loyalty_overview {
    behaviour_signals behaviour;
    std::optional<signal_file> signals;
    loyalty_result labels;
    std::array<double, n_loyalty_types> type_share{}; ///< type_count / customers (0 for none)
    std::array<double, n_quadrants> quadrant_share{};
    nps_result nps;
    std::vector<spending_type> spending;
    std::vector<std::uint8_t> proxy; ///< 1 where `spending` is the behavioural proxy
    spending_tally spending_counts;
    std::vector<double> spending_reference; ///< tightwad, unconflicted, spendthrift shares
    goodness_of_fit spending_fit;           ///< the questionnaire's counts against it
    churn_reason_tally churn;
};

/// Classifies the customers of `log` with `rules`, scores NPS (per segment when the signals
/// have one), types spending and tallies churn reasons against `churn_reference` (empty: no
/// test).
///
/// Spending: the questionnaire's type where a customer answered the four items, else the proxy
/// of their net revenue per purchase day cut at the shares of `spending_shares` (empty: the
/// article's 24/61/15) among the customers of the same segment (all customers without a
/// segment column); a customer without a purchase day is unknown (never counted as proxy). The
/// questionnaire's counts are tested against the reference (`spending_fit`). Example: one
/// customer with revenue 100 over 4 purchase days and no signals has spend 25, the only value
/// of its group: unconflicted, by proxy.
loyalty_overview loyalty_overview_of(const transaction_view& log,
                                     const behaviour_options& options = {},
                                     std::optional<signal_file> signals = std::nullopt,
                                     const loyalty_rules& rules = {},
                                     std::span<const double> churn_reference = {},
                                     std::span<const double> spending_shares = {});

CUSTOMETRICS_END_NAMESPACE
