// Tests of output/strings.hpp and the currency of output/format.hpp: the table of the report's
// strings, filling patterns, currency symbols and codes in both languages, German number
// formats of a formatter, bad codes, and dates or nothing (`date_or_empty`, `date_or_null`).
#include <custometrics/date.hpp>
#include <custometrics/error.hpp>
#include <custometrics/output/format.hpp>
#include <custometrics/output/strings.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <optional>
#include <string>

using namespace custometrics;
using namespace custometrics::output;

TEST_CASE("strings: English by default, German from the table, unknown strings as they are") {
    CHECK(tr(language::en, "At a glance") == "At a glance");
    CHECK(tr(language::de, "At a glance") == "Auf einen Blick");
    CHECK(tr(language::de, "When the business breaks even") == "Wann sich das Geschäft trägt");
    CHECK(tr(language::de, "no such string") == "no such string");
    CHECK(fill("{0} of {1}", {"3", "4"}) == "3 of 4");
    CHECK(fill("{1}, {0}, {2}", {"a", "b"}) == "b, a, {2}"); // no argument: left as is
    CHECK(fill("{x} {", {"a"}) == "{x} {");
    const formatter plain;
    const formatter de({{}, language::de});
    CHECK(plain.trf("{0} units ({1})", {"3", "4.00"}) == "3 units (4.00)"); // English by default
    CHECK(plain.label("rows") == "  rows                 ");
    CHECK(de.trf("{0} units ({1})", {"3", "4.00"}) == "3 Stück (4.00)");
    CHECK(de.label("returns") == "  Retouren             "); // 23 characters, ü or not
    CHECK(de.label("gross sales") == "  Bruttoumsatz         ");
    CHECK(plain.tr("At a glance") == "At a glance");
    CHECK(parse_language("DE") == language::de);
    CHECK(parse_language("en") == language::en);
    CHECK_THROWS_WITH_AS(parse_language("fr", "--lang"), "--lang: expected 'en' or 'de', got 'fr'",
                         invalid_argument);
}

TEST_CASE("currency: symbols first in English, after in German, codes after; per formatter") {
    CHECK(money(-1234.5) == "-1,234.50"); // plain
    const formatter eur({money_style_of("eur", number_locale::en)});
    CHECK(eur.money(1234.5) == "€1,234.50");
    CHECK(eur.money(-1234.5) == "-€1,234.50");
    const formatter chf({money_style_of("CHF", number_locale::en)});
    CHECK(chf.money(5) == "5.00 CHF");
    CHECK(eur.money(5) == "€5.00"); // each formatter keeps its own style
    CHECK(formatter().money(5) == "5.00");
    CHECK(money_style_of("usd").symbol == "$");
    CHECK(money_style_of("").symbol.empty());
    CHECK_THROWS_WITH_AS(money_style_of("EURO"),
                         "currency: expected a three-letter ISO 4217 code such as EUR, got 'EURO'",
                         invalid_argument);
    CHECK_THROWS_AS(money_style_of("E1R"), invalid_argument);
}

TEST_CASE("locale: German numbers, percentages, counts, money and dates by hand") {
    const formatter en;
    const formatter de({{}, language::de, number_locale::de});
    // 1234.5: thousands '.', decimal ','.
    CHECK(de.money(1234.5) == "1.234,50");
    CHECK(en.money(1234.5) == "1,234.50");
    CHECK(de.money(-1234567.891) == "-1.234.567,89");
    CHECK(de.money(-0.5) == "-0,50");
    CHECK(de.money(999.996) == "1.000,00"); // rounds to 1000.00 first, then groups
    // num groups in neither locale (one rule: it writes measurements), grouped in both.
    CHECK(de.num(1234.5) == "1234,50");
    CHECK(en.num(1234.5) == "1234.50");
    CHECK(de.grouped(1234.5) == "1.234,50");
    CHECK(en.grouped(1234.5) == "1,234.50");
    CHECK(de.num(-3.14159, 3) == "-3,142");
    CHECK(de.num(12, 0) == "12");
    CHECK(de.grouped(-0.001, 1) == "0,0"); // a negative that rounds to zero loses its sign
    CHECK(en.grouped(-12345.6, 1) == "-12,345.6");
    // 0.1234 -> 12.3 percent; German puts a space before the sign.
    CHECK(de.pct(0.1234) == "12,3 %");
    CHECK(en.pct(0.1234) == "12.3%");
    CHECK(de.pct(-0.05) == "-5,0 %");
    CHECK(de.pct(12.5) == "1250,0 %"); // as en.pct(12.5) == "1250.0%": no grouping
    CHECK(en.pct(12.5) == "1250.0%");
    CHECK(de.percent_sign() == " %");
    CHECK(en.percent_sign() == "%");
    CHECK(de.count(1234567) == "1.234.567");
    CHECK(de.count(999) == "999");
    CHECK(en.count(1234567) == "1,234,567");
    // 2024-03-01 is 19783 days after 1970-01-01 (54 years with 13 leap days: 54 * 365 + 13 =
    // 19723, plus 31 + 29 for January and February of the leap year 2024 = 19783).
    const std::int64_t march_first = 19783LL * 86400;
    CHECK(en.date(march_first) == "2024-03-01");
    CHECK(de.date(march_first) == "01.03.2024");
    // Currency placement: German after the number for symbols and codes alike.
    CHECK(formatter({money_style_of("EUR", number_locale::de), language::de, number_locale::de})
              .money(-1234.5) == "-1.234,50 €");
    CHECK(formatter({money_style_of("usd", number_locale::de), language::de, number_locale::de})
              .money(1234.5) == "1.234,50 $");
    CHECK(formatter({money_style_of("CHF", number_locale::de), language::de, number_locale::de})
              .money(1234.5) == "1.234,50 CHF");
    CHECK(formatter({money_style_of("USD", number_locale::en)}).money(-5) == "-$5.00");
    // The language and the locale are independent: German words, English numbers.
    const formatter de_words({{}, language::de, number_locale::en});
    CHECK(de_words.money(1234.5) == "1,234.50");
    CHECK(de_words.tr("At a glance") == "Auf einen Blick");
    CHECK(parse_locale("DE") == number_locale::de);
    CHECK(parse_locale("en") == number_locale::en);
    try {
        (void)parse_locale("fr", "--locale");
        FAIL_CHECK("no invalid_argument thrown");
    } catch (const invalid_argument& e) {
        CHECK(std::string(e.what()) == "--locale: expected 'en' or 'de', got 'fr'");
        CHECK(e.argument() == "--locale");
        CHECK(e.value() == "fr");
    }
}

TEST_CASE("date_or_empty / date_or_null: the date, or nothing for no_time") {
    // 2024-02-29 00:00:00 UTC = 19782 days after 1970-01-01 (hand count: 54 years, 13 leap days
    // 1972..2020, then 31 + 28 days of 2024).
    const std::int64_t leap_day = std::int64_t{19782} * 86400;
    CHECK(date_or_empty(leap_day) == "2024-02-29");
    CHECK(date_or_null(leap_day) == std::optional<std::string>("2024-02-29"));
    CHECK(date_or_empty(leap_day + 86399) == "2024-02-29"); // a time of day is cut, not rounded
    CHECK(date_or_empty(-86400) == "1969-12-31");           // before the epoch
    CHECK(date_or_empty(no_time).empty());
    CHECK_FALSE(date_or_null(no_time).has_value());
}
