// One self-contained HTML page (the report of issue 19): sections with a plain-language
// takeaway first, then charts (inline SVG, output/svg.hpp), tables and notes. Styles are inline;
// the page has no script and fetches nothing (its Content-Security-Policy forbids it, so a
// stray reference shows up as a console error in the browser test); it reads on a phone (one
// column below 700 px) and prints to PDF (sections do not break across pages where avoidable).
#pragma once

#include "custometrics/config.hpp"
#include "custometrics/output/format.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

/// A file the page offers for download (the CSV of a table's list): a link whose `href` is a
/// `data:` URI holding the file, so the page stays self-contained and offline.
struct html_download {
    std::string file_name; ///< the name the browser saves it under, e.g. "who_to_call.csv"
    std::string text;      ///< the link's words, in the report's language
    std::string content;   ///< the file's bytes (UTF-8 CSV)
};

/// A table: header, rows of text cells, and which columns are numbers (right-aligned).
struct html_table {
    std::string caption;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<bool> numeric;             ///< per column; missing entries mean text
    std::optional<html_download> download; ///< a link below the table (the page only)
};

/// `content` as a `data:` URI of `media_type` in UTF-8: "data:<media_type>;charset=utf-8,"
/// then every byte percent-encoded except the unreserved characters of RFC 3986 (letters,
/// digits, `-`, `.`, `_`, `~`), so the URI holds no quote, space, line break or `%` that an
/// HTML attribute or a browser could read differently (RFC 2397). A `data:` URI is not a
/// network request: the browser builds the file from the page itself.
///
/// Example: `data_uri("text/csv", "a,b\n1,2\n")` is
/// "data:text/csv;charset=utf-8,a%2Cb%0A1%2C2%0A".
std::string data_uri(std::string_view media_type, std::string_view content);

/// A section of the page.
struct html_section {
    std::string id;                  ///< anchor (letters, digits, '-')
    std::string title;               ///< heading
    std::string takeaway;            ///< one plain-language sentence, shown first
    std::vector<std::string> charts; ///< `<svg>` elements from render_svg (inserted verbatim)
    std::vector<html_table> tables;
    std::vector<std::string> notes; ///< footnotes: definitions, who is left out and why
};

/// A section with the anchor `id` and the heading `title` in `fm`'s language; the report's
/// sections start from it. Example: `make_section("segments", "Customer segments (RFM)", fm)`.
html_section make_section(std::string id, std::string_view title, const formatter& fm);

/// The page: title, a subtitle line (source, period), the sections in order.
struct html_document {
    std::string lang = "en";
    std::string title;
    std::string subtitle;
    std::vector<html_section> sections;
};

/// The page as HTML5 text (UTF-8). Text is escaped; charts are inserted as they are.
std::string render_html(const html_document& doc);

/// A section of the page as plain text, for the text report: a blank line, the title, the
/// takeaway, each table (its caption, then the header and rows in columns padded to the widest
/// cell, numbers right-aligned, widths counted in UTF-8 characters) and the notes as "note:"
/// lines; charts are left out. The text and the page so show the same cells. `fm` gives the
/// word "note:" in the report's language (the cells are already written in its style).
///
/// Example: a section "Loyalty types" with the takeaway "3 of 4 customers ..." and a table of
/// two columns prints "\nLoyalty types\n  3 of 4 customers ...\n  loyalty type  customers\n
/// advocate ...          2\n".
void write_text(std::ostream& out, const html_section& section, const formatter& fm);

} // namespace output
CUSTOMETRICS_END_NAMESPACE
