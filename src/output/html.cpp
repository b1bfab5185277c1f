// The HTML page of the report (custometrics/output/html.hpp).
#include "custometrics/output/html.hpp"

#include "custometrics/output/strings.hpp"
#include "custometrics/output/svg.hpp"

#include <algorithm>
#include <cstddef>
#include <sstream>
#include <vector>

CUSTOMETRICS_BEGIN_NAMESPACE
namespace output {

html_section make_section(std::string id, std::string_view title, const formatter& fm) {
    html_section s;
    s.id = std::move(id);
    s.title = fm.tr(title);
    return s;
}

namespace {

constexpr const char* style = R"(
:root { --ink: #1a1a1a; --muted: #555; --rule: #ddd; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: #fff; }
header, main, footer { max-width: 1100px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 24px; border-bottom: 3px solid var(--accent); }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 0 0 8px; }
.subtitle { color: var(--muted); margin: 0 0 12px; }
nav a { margin-right: 12px; color: var(--accent); text-decoration: none; }
section { padding: 20px 0; border-bottom: 1px solid var(--rule); break-inside: avoid; }
.takeaway { font-size: 17px; margin: 0 0 12px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); gap: 16px; }
.charts svg { display: block; max-width: 100%; height: auto; }
.table-wrap { overflow-x: auto; margin: 12px 0; }
table { border-collapse: collapse; font-size: 14px; min-width: 50%; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--rule); text-align: left; }
th { background: #f4f4f4; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.download { margin: 0 0 12px; }
.notes { color: var(--muted); font-size: 13px; padding-left: 18px; }
footer { color: var(--muted); font-size: 12px; padding: 16px; }
@media (max-width: 700px) { body { font-size: 14px; } .charts { grid-template-columns: 1fr; } }
@media print { nav, .download { display: none; } section { page-break-inside: avoid; } a { color: inherit; } }
)";

void table_html(std::ostringstream& s, const html_table& t) {
    const auto is_num = [&](std::size_t j) { return j < t.numeric.size() && t.numeric[j]; };
    s << "<div class=\"table-wrap\"><table>";
    if (!t.caption.empty()) s << "<caption>" << xml_escape(t.caption) << "</caption>";
    s << "<thead><tr>";
    for (std::size_t j = 0; j < t.header.size(); ++j)
        s << (is_num(j) ? "<th class=\"num\">" : "<th>") << xml_escape(t.header[j]) << "</th>";
    s << "</tr></thead><tbody>\n";
    for (const auto& row : t.rows) {
        s << "<tr>";
        for (std::size_t j = 0; j < row.size(); ++j)
            s << (is_num(j) ? "<td class=\"num\">" : "<td>") << xml_escape(row[j]) << "</td>";
        s << "</tr>\n";
    }
    s << "</tbody></table></div>\n";
    if (t.download)
        s << "<p class=\"download\"><a download=\"" << xml_escape(t.download->file_name)
          << "\" href=\"" << data_uri("text/csv", t.download->content) << "\">"
          << xml_escape(t.download->text) << "</a></p>\n";
}

// The characters of UTF-8 `s` (bytes that do not continue a character).
std::size_t utf8_chars(const std::string& s) {
    std::size_t n = 0;
    for (const char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
    return n;
}

void table_text(std::ostream& out, const html_table& t) {
    if (!t.caption.empty()) out << "  " << t.caption << "\n";
    std::vector<std::size_t> width(t.header.size(), 0);
    const auto measure = [&](const std::vector<std::string>& row) {
        for (std::size_t j = 0; j < row.size(); ++j) {
            if (j >= width.size()) width.resize(j + 1, 0);
            width[j] = std::max(width[j], utf8_chars(row[j]));
        }
    };
    measure(t.header);
    for (const auto& row : t.rows)
        measure(row);
    const auto line = [&](const std::vector<std::string>& row) {
        std::string s = "   ";
        for (std::size_t j = 0; j < row.size(); ++j) {
            const std::string pad(width[j] - utf8_chars(row[j]), ' ');
            const bool last = j + 1 == row.size();
            if (j < t.numeric.size() && t.numeric[j])
                s += " " + pad + row[j];
            else
                s += " " + row[j] + (last ? "" : pad);
            if (!last) s += " ";
        }
        out << s << "\n";
    };
    line(t.header);
    for (const auto& row : t.rows)
        line(row);
}

} // namespace

std::string data_uri(std::string_view media_type, std::string_view content) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string uri = "data:";
    uri.append(media_type).append(";charset=utf-8,");
    uri.reserve(uri.size() + content.size() * 3);
    for (const char ch : content) {
        const auto c = static_cast<unsigned char>(ch);
        const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                                c == '~';
        if (unreserved)
            uri += ch;
        else {
            uri += '%';
            uri += hex[c >> 4];
            uri += hex[c & 0x0F];
        }
    }
    return uri;
}

void write_text(std::ostream& out, const html_section& section, const formatter& fm) {
    out << "\n" << section.title << "\n";
    if (!section.takeaway.empty()) out << "  " << section.takeaway << "\n";
    for (const html_table& t : section.tables)
        table_text(out, t);
    for (const std::string& n : section.notes)
        out << "  " << fm.tr("note:") << " " << n << "\n";
}

std::string render_html(const html_document& doc) {
    std::ostringstream s;
    s << "<!DOCTYPE html>\n<html lang=\"" << xml_escape(doc.lang) << "\">\n<head>\n"
      << "<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'; img-src data:\">\n"
      << "<title>" << xml_escape(doc.title) << "</title>\n<style>" << style << "</style>\n"
      << "</head>\n<body>\n<header>\n<h1>" << xml_escape(doc.title) << "</h1>\n";
    if (!doc.subtitle.empty())
        s << "<p class=\"subtitle\">" << xml_escape(doc.subtitle) << "</p>\n";
    s << "<nav>";
    for (const html_section& sec : doc.sections)
        s << "<a href=\"#" << xml_escape(sec.id) << "\">" << xml_escape(sec.title) << "</a>";
    s << "</nav>\n</header>\n<main>\n";
    for (const html_section& sec : doc.sections) {
        s << "<section id=\"" << xml_escape(sec.id) << "\">\n<h2>" << xml_escape(sec.title)
          << "</h2>\n";
        if (!sec.takeaway.empty())
            s << "<p class=\"takeaway\">" << xml_escape(sec.takeaway) << "</p>\n";
        if (!sec.charts.empty()) {
            s << "<div class=\"charts\">\n";
            for (const std::string& svg : sec.charts)
                s << svg << "\n";
            s << "</div>\n";
        }
        for (const html_table& t : sec.tables)
            table_html(s, t);
        if (!sec.notes.empty()) {
            s << "<ol class=\"notes\">";
            for (const std::string& n : sec.notes)
                s << "<li>" << xml_escape(n) << "</li>";
            s << "</ol>\n";
        }
        s << "</section>\n";
    }
    s << "</main>\n<footer>Made with custometrics " << CUSTOMETRICS_VERSION_STRING
      << ". The page is self-contained: it opens offline and fetches nothing.</footer>\n"
      << "</body>\n</html>\n";
    return s.str();
}

} // namespace output
CUSTOMETRICS_END_NAMESPACE
