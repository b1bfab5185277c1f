// Tests of output/strings.hpp and the currency of output/format.hpp: the table of the report's
// strings, filling patterns, currency symbols and codes in both languages, the scope that sets
// them, and bad codes.
#include <custometrics/error.hpp>
#include <custometrics/output/format.hpp>
#include <custometrics/output/strings.hpp>

#include <doctest/doctest.h>

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
    CHECK(trf("{0} units ({1})", {"3", "4.00"}) == "3 units (4.00)"); // English outside a scope
    CHECK(label("rows") == "  rows                 ");
    {
        output_style_scope de({{}, language::de});
        CHECK(trf("{0} units ({1})", {"3", "4.00"}) == "3 Stück (4.00)");
        CHECK(label("returns") == "  Retouren             "); // 23 characters, ü or not
        CHECK(label("gross sales") == "  Bruttoumsatz         ");
    }
    CHECK(tr("At a glance") == "At a glance");
    CHECK(parse_language("DE") == language::de);
    CHECK(parse_language("en") == language::en);
    CHECK_THROWS_WITH_AS(parse_language("fr", "--lang"), "--lang: expected 'en' or 'de', got 'fr'",
                         invalid_argument);
}

TEST_CASE("currency: symbols first in English, after in German, codes after; scoped") {
    CHECK(money(-1234.5) == "-1,234.50"); // plain by default
    {
        output_style_scope eur({money_style_of("eur", language::en)});
        CHECK(money(1234.5) == "€1,234.50");
        CHECK(money(-1234.5) == "-€1,234.50");
        {
            output_style_scope chf({money_style_of("CHF", language::en)});
            CHECK(money(5) == "5.00 CHF");
        }
        CHECK(money(5) == "€5.00"); // the outer style again
    }
    CHECK(money(5) == "5.00");
    {
        output_style_scope de({money_style_of("EUR", language::de), language::de});
        CHECK(money(-1234.5) == "-1,234.50 €");
    }
    CHECK(money_style_of("usd").symbol == "$");
    CHECK(money_style_of("").symbol.empty());
    CHECK_THROWS_WITH_AS(money_style_of("EURO"),
                         "currency: expected a three-letter ISO 4217 code such as EUR, got 'EURO'",
                         invalid_argument);
    CHECK_THROWS_AS(money_style_of("E1R"), invalid_argument);
}
