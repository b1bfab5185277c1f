// Tests of the report page's CSV downloads (output/report.hpp `write_call_list_csv`,
// `write_win_back_csv`; output/html.hpp `data_uri`, `html_download`): the href of each link,
// decoded and read back with the side-file reader (csv_table.hpp), holds the report's typed list,
// every customer and every value in the list's order, whatever the page's language and locale.
#include <custometrics/csv.hpp>
#include <custometrics/csv_table.hpp>
#include <custometrics/date.hpp>
#include <custometrics/generate.hpp>
#include <custometrics/json_value.hpp>
#include <custometrics/output/html.hpp>
#include <custometrics/output/report.hpp>
#include <custometrics/report.hpp>

#include <doctest/doctest.h>

#include <cmath>
#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

using namespace custometrics;

namespace {

// Percent-decoding written apart from `data_uri` (RFC 3986 section 2.1: "%" and two hex
// digits, either case), so that a wrong encoder cannot be undone by the same mistake.
std::string percent_decode(const std::string& s) {
    const auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        FAIL("not a hex digit: " << c);
        return 0;
    };
    std::string out;
    for (std::size_t k = 0; k < s.size(); ++k) {
        if (s[k] != '%') {
            out += s[k];
            continue;
        }
        REQUIRE(k + 2 < s.size());
        out += static_cast<char>(digit(s[k + 1]) * 16 + digit(s[k + 2]));
        k += 2;
    }
    return out;
}

// The link `<a download="NAME" href="...">TEXT</a>` of `page`: its href and its text.
struct page_link {
    std::string href, text;
};

std::vector<page_link> links_named(const std::string& page, const std::string& name) {
    std::vector<page_link> found;
    const std::string open = "<a download=\"" + name + "\" href=\"";
    for (std::size_t at = page.find(open); at != std::string::npos; at = page.find(open, at + 1)) {
        const std::size_t href = at + open.size();
        const std::size_t href_end = page.find('"', href);
        const std::size_t text = page.find('>', href_end) + 1;
        found.push_back({page.substr(href, href_end - href),
                         page.substr(text, page.find("</a>", text) - text)});
    }
    return found;
}

// The CSV a data: href holds, read by the side-file reader.
csv_table table_of_href(const std::string& href, const std::string& name) {
    const std::string prefix = "data:text/csv;charset=utf-8,";
    REQUIRE(href.starts_with(prefix));
    const std::string payload = href.substr(prefix.size());
    // Only unreserved characters and escapes: no quote, blank, '<', '&' or line break that an
    // HTML attribute or a browser could read differently.
    CHECK(payload.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                    "0123456789-._~%") == std::string::npos);
    std::istringstream in(percent_decode(payload));
    return read_csv_table(in, name);
}

// The generated log (600 customers, seed 7, up to 2021-12-31) with a regular big spender whose
// key holds a comma, quotes and a non-ASCII letter (a field the CSV must quote and the URI must
// escape byte by byte): he buys on 2021-11-21, 2021-12-11 and 2021-12-31 (gaps of 20 days, CV
// 0), so he is due by his own rhythm on 2022-01-20, within the call list's 21 days ("report
// call list: a regular buyer timed by his own rhythm" of test_report.cpp).
transaction_log log_with_odd_key() {
    generate_options g;
    g.customers = 600;
    g.seed = 7;
    std::ostringstream csv;
    write_transactions_csv(csv, generate_transactions(g).log);
    std::string text = csv.str();
    for (const char* date : {"2021-11-21", "2021-12-11", "2021-12-31"})
        text += std::string("\"R, \"\"Ä\"\"\",") + date + ",2000,1000,p,c\n";
    std::istringstream in(text);
    csv_columns columns;
    columns.conventional_names = true;
    return read_transactions_csv(in, "odd.csv", columns);
}

std::string key_at(const sales_report& r, std::size_t position) {
    return r.customer_keys.key_string(r.summary.customer[r.retention_detail.rows[position]]);
}

std::string date_or_empty(std::int64_t t) {
    return t == no_time ? "" : format_date(t);
}

} // namespace

TEST_CASE("data_uri: unreserved bytes verbatim, every other byte percent-encoded") {
    // By hand: ',' is 0x2C, '\n' 0x0A, '"' 0x22, ' ' 0x20, '%' 0x25, and 'Ä' is the UTF-8 bytes
    // C3 84.
    CHECK(output::data_uri("text/csv", "a,b\n1,2\n") ==
          "data:text/csv;charset=utf-8,a%2Cb%0A1%2C2%0A");
    CHECK(output::data_uri("text/csv", "\"R, \xC3\x84\" 5%") ==
          "data:text/csv;charset=utf-8,%22R%2C%20%C3%84%22%205%25");
    CHECK(output::data_uri("text/plain", "AZaz09-._~") ==
          "data:text/plain;charset=utf-8,AZaz09-._~");
    CHECK(output::data_uri("text/csv", "") == "data:text/csv;charset=utf-8,");
    // Every byte value survives the round trip.
    std::string all;
    for (int c = 0; c < 256; ++c)
        all += static_cast<char>(c);
    const std::string uri = output::data_uri("application/octet-stream", all);
    CHECK(percent_decode(uri.substr(uri.find(',') + 1)) == all);
}

TEST_CASE("report page: the call list and the win-back list as CSV downloads, value by value") {
    const transaction_log log = log_with_odd_key();
    const sales_report r = build_report(log, report_options{});
    const report_retention_detail& d = r.retention_detail;
    REQUIRE(d.contacts);
    REQUIRE(d.contacts->with_rhythm); // the rhythm columns are written too
    REQUIRE(d.win_back);
    const std::vector<contact_entry>& calls = d.contacts->contacts;
    const report_win_back& w = *d.win_back;
    REQUIRE_FALSE(calls.empty());
    REQUIRE_FALSE(w.customers.empty());
    std::ostringstream json_text;
    output::write_json(json_text, r);
    const json_value json = parse_json(json_text.str(), "report.json");
    const std::string page = output::render_html(r);

    // Who to call: one link, its words naming the rows it holds; the file the contacts CSV.
    const std::vector<page_link> call_links = links_named(page, "who_to_call.csv");
    REQUIRE(call_links.size() == 1);
    CHECK(call_links[0].text ==
          "Download these " + output::count(calls.size()) +
              " customers as CSV (who_to_call.csv: the rows of the table, numbers with a decimal "
              "point and no grouping, dates as YYYY-MM-DD)");
    const csv_table t = table_of_href(call_links[0].href, "who_to_call.csv");
    CHECK(t.header == std::vector<std::string>{"customer_id", "call_date", "next_purchase_date",
                                               "p_alive", "clv", "timing", "rhythm_date",
                                               "due_days"});
    REQUIRE(t.size() == calls.size());
    const json_value::array& json_calls =
        json.at("retention").at("call_list").at("customers").as_array();
    REQUIRE(json_calls.size() == calls.size());
    bool odd_key = false;
    for (std::size_t k = 0; k < calls.size(); ++k) {
        const contact_entry& c = calls[k];
        CAPTURE(k);
        CHECK(t.rows[k][0] == key_at(r, c.customer));
        CHECK(t.rows[k][1] == format_date(c.call_date));
        CHECK(t.rows[k][2] == format_date(c.next_purchase_date));
        // Shortest round-trip numbers: read back, they are the very doubles of the list (and
        // of the JSON, which writes them the same way).
        CHECK(t.number(k, 3) == c.p_alive);
        CHECK(t.number(k, 4) == c.clv);
        CHECK(t.rows[k][5] == to_string(c.timing));
        CHECK(t.rows[k][6] == date_or_empty(c.rhythm_date));
        if (c.due_days)
            CHECK(t.number(k, 7) == *c.due_days);
        else
            CHECK(t.rows[k][7].empty());
        const json_value& j = json_calls[k];
        CHECK(j.at("customer_id").as_string() == t.rows[k][0]);
        CHECK(j.at("p_alive").as_number() == t.number(k, 3));
        CHECK(j.at("value_at_risk").as_number() == t.number(k, 4));
        CHECK(j.at("call_date").as_string() == t.rows[k][1]);
        if (t.rows[k][0] == "R, \"\xC3\x84\"") {
            odd_key = true;
            CHECK(t.rows[k][6] == "2022-01-20");
            CHECK(t.rows[k][1] == "2022-01-13"); // seven days before
            CHECK(t.number(k, 7) == 20.0);
        }
    }
    CHECK(odd_key);

    // Customers to win back: one link; the file the JSON's win_back customers.
    const std::vector<page_link> back_links = links_named(page, "win_back.csv");
    REQUIRE(back_links.size() == 1);
    CHECK(back_links[0].text.starts_with("Download these " + output::count(w.customers.size()) +
                                         " customers as CSV (win_back.csv: "));
    const csv_table b = table_of_href(back_links[0].href, "win_back.csv");
    CHECK(b.header == std::vector<std::string>{"customer_id", "revenue", "p_alive", "clv",
                                               "contact_date", "next_purchase_date"});
    REQUIRE(b.size() == w.customers.size());
    const json_value::array& json_back =
        json.at("retention").at("win_back").at("customers").as_array();
    REQUIRE(json_back.size() == w.customers.size());
    for (std::size_t k = 0; k < w.customers.size(); ++k) {
        const contact_entry& c = w.customers[k];
        CAPTURE(k);
        CHECK(b.rows[k][0] == key_at(r, c.customer));
        // The revenue so far is the customer's net revenue in the summary.
        CHECK(b.number(k, 1) == r.summary.revenue[d.rows[c.customer]]);
        CHECK(b.number(k, 1) == w.revenue[k]);
        CHECK(b.number(k, 2) == c.p_alive);
        CHECK(b.number(k, 2) < 0.5); // lapsed
        CHECK(b.number(k, 3) == c.clv);
        CHECK(b.rows[k][4] == format_date(c.call_date));
        CHECK(b.rows[k][5] == format_date(c.next_purchase_date));
        if (k > 0) CHECK(b.number(k, 1) <= b.number(k - 1, 1)); // most revenue first
        const json_value& j = json_back[k];
        CHECK(j.at("customer_id").as_string() == b.rows[k][0]);
        CHECK(j.at("revenue").as_number() == b.number(k, 1));
        CHECK(j.at("clv").as_number() == b.number(k, 3));
        CHECK(j.at("contact_date").as_string() == b.rows[k][4]);
    }

    // The writers on their own give the same bytes as the links.
    std::ostringstream call_csv, back_csv;
    output::write_call_list_csv(call_csv, r);
    output::write_win_back_csv(back_csv, r);
    CHECK(output::data_uri("text/csv", call_csv.str()) == call_links[0].href);
    CHECK(output::data_uri("text/csv", back_csv.str()) == back_links[0].href);

    // German words, German and English number styles: the link's words change, the file does
    // not (a CSV is read by programs; its numbers never follow the page's locale).
    report_options de;
    de.lang = output::language::de;
    de.currency = "EUR";
    for (const auto locale : {output::number_locale::de, output::number_locale::en}) {
        de.locale = locale;
        const std::string seite = output::render_html(build_report(log, de));
        const std::vector<page_link> anrufen = links_named(seite, "who_to_call.csv");
        const std::vector<page_link> zurueck = links_named(seite, "win_back.csv");
        REQUIRE(anrufen.size() == 1);
        REQUIRE(zurueck.size() == 1);
        CHECK(anrufen[0].href == call_links[0].href);
        CHECK(zurueck[0].href == back_links[0].href);
        CHECK(anrufen[0].text == "Diese " + output::count(calls.size()) +
                                     " Kunden als CSV herunterladen (who_to_call.csv: die Zeilen "
                                     "der Tabelle, Zahlen mit Dezimalpunkt und ohne "
                                     "Tausendertrennzeichen, Datum als JJJJ-MM-TT)");
    }
}

TEST_CASE("report page: no download without a list") {
    generate_options g;
    g.customers = 600;
    g.seed = 7;
    sales_report r = build_report(generate_transactions(g).log, report_options{});
    REQUIRE(r.retention_detail.win_back);
    REQUIRE(r.retention_detail.contacts);
    // Nobody to call and nobody to win back: no table rows, so no link (and the writers give the
    // header alone).
    r.retention_detail.win_back->customers.clear();
    r.retention_detail.win_back->revenue.clear();
    r.retention_detail.contacts->contacts.clear();
    const std::string page = output::render_html(r);
    CHECK(page.find("<a download=") == std::string::npos);
    std::ostringstream back;
    output::write_win_back_csv(back, r);
    CHECK(back.str() == "customer_id,revenue,p_alive,clv,contact_date,next_purchase_date\n");
    // Without a spend model there is no call list: the contacts header alone.
    r.retention_detail.contacts.reset();
    std::ostringstream calls;
    output::write_call_list_csv(calls, r);
    CHECK(calls.str() == "customer_id,call_date,next_purchase_date,p_alive,clv\n");
}
