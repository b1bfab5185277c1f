"""The report page in a real browser (issue 19): headless Chromium opens the page of
`custometrics report --html` for the embedded sample and for a user's log, and

- logs no console message (a blocked request, a CSP violation or a parse error would be one;
  a control page with a deliberate violation shows that the capture sees them),
- requests nothing: the page names no URL to load and its Content-Security-Policy forbids any,
- draws marks in every chart (counted in the DOM the browser built, per SVG),
- renders at desktop and phone widths (screenshots that are not blank) and prints to PDF,
- shows the numbers of the CLI's JSON for the same input (the "at a glance" table, the Pareto
  takeaway, the Gini of the Lorenz curve and the retention model),
- offers the call list and the win-back list as CSV downloads whose files are in the page
  (`data:` links with a download attribute, the JSON's lists), and links to nothing outside it.

Skipped when Chromium is not installed (scripts/deps.sh installs Debian's `chromium` for the
test command), when the CLI is not built, or with CUSTOMETRICS_BROWSER_TESTS=0 (the test command
runs them in its first Python environment only: they test the CLI's page, not the package).
"""

import csv
import html
import io
import json
import os
import pathlib
import re
import shutil
import subprocess
import urllib.parse

import numpy as np
import pytest

from cli_tool import run

_SVG_NS = "http://www.w3.org/2000/svg"


def _chromium() -> str:
    if os.environ.get("CUSTOMETRICS_BROWSER_TESTS") == "0":
        pytest.skip("CUSTOMETRICS_BROWSER_TESTS=0")
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("Chromium is not installed (scripts/deps.sh python installs Debian's chromium)")


def _browse(page: pathlib.Path, out: pathlib.Path, *flags: str) -> subprocess.CompletedProcess:
    """Runs headless Chromium on `page` with `flags`; console messages go to standard error."""
    profile = out / "profile"
    profile.mkdir(exist_ok=True)
    cmd = [_chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--disable-dev-shm-usage", "--disable-extensions", "--hide-scrollbars",
           f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
           "--virtual-time-budget=2000", *flags, page.as_uri()]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def _console(stderr: str) -> list:
    """The page's console messages in Chromium's log (lines tagged CONSOLE)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def _png_pixels(path: pathlib.Path) -> np.ndarray:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from matplotlib import image

    return image.imread(str(path))


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The report page (and the CLI's JSON) of the embedded sample and of a generated log."""
    _chromium()
    root = tmp_path_factory.mktemp("report_pages")
    log = root / "log.csv"
    run("generate", "--customers", "3000", "--seed", "5", "--out", log)
    # Four RFM segments of the log with a market and a strength criterion: the matrix section,
    # its bubbles sized by the segments' net revenue in the log.
    criteria = root / "criteria.csv"
    criteria.write_text("segment,growth,size,fit\naxis,attractiveness,attractiveness,strength\n"
                        "Champions,0.05,900,0.9\nLoyal Customers,0.10,1500,0.6\n"
                        "At Risk,-0.05,700,0.3\nLost,-0.20,400,0.1\n")
    out = {}
    # "de": the sample in German words and numbers with the euro (--locale follows --lang).
    for name, args in {"sample": [], "log": [str(log), "--fixed-costs-per-month", "4000",
                                             "--criteria", str(criteria)],
                       "de": ["--lang", "de", "--currency", "EUR"]}.items():
        page = root / f"{name}.html"
        run("report", *args, "--html", page)
        # The DOM the browser built, and its log: one load serves the tests that read them.
        loaded = _browse(page, root, "--dump-dom")
        assert loaded.returncode == 0, loaded.stderr[-2000:]
        out[name] = (page, json.loads(run("report", *args, "--format", "json")), loaded)
    return out


def test_console_capture_sees_a_blocked_request(tmp_path):
    # The control: a page whose CSP blocks an image logs a console error, so an empty capture
    # below means that the report page really logged nothing.
    control = tmp_path / "control.html"
    control.write_text(
        '<!doctype html><html><head><meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'\"></head><body>"
        '<img src="https://example.invalid/x.png"></body></html>')
    done = _browse(control, tmp_path, "--dump-dom")
    assert any("Content Security Policy" in m for m in _console(done.stderr)), done.stderr[-2000:]


@pytest.mark.parametrize("name", ["sample", "log", "de"])
def test_page_loads_without_console_messages_or_requests(pages, name):
    page, _, loaded = pages[name]
    text = page.read_text(encoding="utf-8")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', text)
    assert csp and "default-src 'none'" in csp.group(1)
    # Nothing to load: no src/href/url() naming a resource outside the file (the SVG namespace
    # is an identifier, not a request).
    assert not re.search(r'(?:src|href)\s*=\s*"(?:https?:)?//', text)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", text)
    assert _console(loaded.stderr) == []
    assert "<svg" in loaded.stdout


@pytest.mark.parametrize("name", ["sample", "log", "de"])
def test_every_chart_has_drawn_marks(pages, name):
    dom = pages[name][2].stdout
    charts = re.findall(r"<svg\b.*?</svg>", dom, re.S)
    # Pareto curve, chart and (customers) Lorenz per dimension, the whale curve, the period
    # comparison, the RFM segments, P(alive), the win-back list and the loyalty types; the log
    # adds the break-even chart and the attractiveness/strength matrix.
    assert len(charts) >= (15 if name == "log" else 13)
    matrix = [svg for svg in charts
              if "<title>Attractiveness and strength of the segments</title>" in svg]
    assert len(matrix) == (1 if name == "log" else 0)
    if matrix:  # one bubble per segment of the criteria file
        assert len(re.findall(r'<circle[^>]*class="bubble"', matrix[0])) == 4
    english = ("Net revenue by RFM segment", "Customers by loyalty type",
               "Net revenue by class in the previous period",
               "Net revenue so far of the customers to win back")
    for title in english if name != "de" else ("Nettoumsatz nach RFM-Segment",):
        assert any(f"<title>{title}</title>" in svg for svg in charts), title
    for svg in charts:
        title = re.search(r"<title>(.*?)</title>", svg).group(1)
        polylines = [p for p in re.findall(r'<polyline[^>]*points="([^"]*)"', svg)
                     if len(p.split()) >= 2]
        bars = len(re.findall(r"<rect\b", svg)) - 1  # less the plot background
        dots = len(re.findall(r"<circle\b", svg))
        assert polylines or bars >= 2 or dots, f"{title}: no marks drawn"


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_screenshots_at_desktop_and_phone_widths(pages, tmp_path, width, height):
    page = pages["log"][0]
    shot = tmp_path / f"report_{width}.png"
    done = _browse(page, tmp_path, f"--window-size={width},{height}", f"--screenshot={shot}")
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    pixels = _png_pixels(shot)
    assert pixels.shape[1] == width
    # Not blank: text and charts give many distinct colours, and a good part of the view is ink.
    ink = (pixels[..., :3].min(axis=2) < 0.8).mean()
    assert 0.01 < ink < 0.9
    assert len(np.unique(pixels[..., :3].reshape(-1, 3), axis=0)) > 20


def test_prints_to_pdf(pages, tmp_path):
    page = pages["log"][0]
    pdf = tmp_path / "report.pdf"
    done = _browse(page, tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) >= 2  # the report runs over pages


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("\u2212", "-"))


@pytest.mark.parametrize("name", ["sample", "log"])
def test_page_numbers_equal_the_cli_json(pages, name):
    _, report, loaded = pages[name]
    dom = loaded.stdout
    glance = dom[dom.index('<section id="glance">'):]
    glance = glance[:glance.index("</section>")]
    cells = dict(
        (html.unescape(k), v) for k, v in
        re.findall(r'<tr><td>([^<]*)</td><td class="num">([^<]*)</td></tr>', glance))
    assert int(_number(cells["customers"])) == report["customers"]
    assert int(_number(cells["days"])) == report["days"]
    # The page shows returns as the deduction they are; the JSON gives their amount.
    for label, value in [("gross sales", report["gross_sales"]), ("returns", -report["returns"]),
                         ("net revenue", report["net_revenue"]), ("cost of goods", report["cost"]),
                         ("gross profit", report["profit"])]:
        assert _number(cells[label]) == pytest.approx(value, abs=0.005), label
    rows = cells["rows (purchases / returns)"]
    assert [int(_number(x)) for x in re.findall(r"[\d,]+", rows)] == [
        report["rows"], report["purchase_rows"], report["return_rows"]]

    customers = report["pareto"]["customer"]
    takeaway = re.search(r'<section id="sources">.*?<p class="takeaway">(.*?)</p>', dom, re.S)
    # "The top 20% of customers bring 63.6% of net revenue; 38.2% of customers (class A:
    # 3,760) make 80% of it."
    shares = [float(x) / 100 for x in re.findall(r"([\d.]+)%", takeaway.group(1))]
    assert shares[0] == 0.2 and shares[3] == 0.8
    assert shares[1] == pytest.approx(customers["top20_share"], abs=0.0005)
    assert shares[2] == pytest.approx(customers["entities_for_80pct"], abs=0.0005)
    class_a = re.search(r"class A: ([\d,]+)", takeaway.group(1)).group(1)
    assert int(_number(class_a)) == customers["classes"]["A"]
    gini = re.search(r"<title>Lorenz curve of customers \(Gini ([\d.]+)\)</title>", dom)
    assert float(gini.group(1)) == pytest.approx(customers["gini"], abs=0.0005)

    retention = dom[dom.index('<section id="retention">'):]
    model = {"pnbd": "Pareto/NBD", "bgnbd": "BG/NBD", "mbgnbd": "MBG/NBD"}.get(
        report["retention"]["model"], report["retention"]["model"])
    assert model in retention[:retention.index("</section>")]


def _section(dom: str, section_id: str) -> str:
    start = dom.index(f'<section id="{section_id}">')
    return dom[start:dom.index("</section>", start)]


def _rows(section: str) -> list:
    """The body rows of the section's tables as lists of cell texts."""
    return [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", section, re.S) if "<td" in row]


def _share(text: str) -> float:
    """A percentage of the page (one decimal, so within 0.0005 of the figure, and a figure at
    exactly half a step may round either way in binary)."""
    return float(text.rstrip("%")) / 100


@pytest.mark.parametrize("name", ["sample", "log"])
def test_segment_and_loyalty_tables_equal_the_cli_json(pages, name):
    _, report, loaded = pages[name]
    dom = loaded.stdout
    # RFM segments: every non-empty segment of the JSON, its customers and revenue share.
    rows = {r[0]: r for r in _rows(_section(dom, "segments"))}
    segments = [s for s in report["rfm"]["segments"] if s["customers"] > 0]
    assert sorted(rows) == sorted(s["segment"] for s in segments)
    for s in segments:
        row = rows[s["segment"]]
        assert int(_number(row[1])) == s["customers"]
        assert _share(row[2]) == pytest.approx(s["customer_share"], abs=0.00051)
        assert _number(row[3]) == pytest.approx(s["revenue"], abs=0.005)
        assert _share(row[4]) == pytest.approx(s["revenue_share"], abs=0.00051)
        assert row[5]  # what it means
    # Loyalty types: the six of the article and unknown, counts and revenue shares.
    loyalty = report["loyalty"]
    rows = {r[0].split(" ")[0]: r for r in _rows(_section(dom, "loyalty"))}
    assert sorted(rows) == sorted(loyalty["types"])
    for kind, row in rows.items():
        assert int(_number(row[1])) == loyalty["types"][kind]["count"]
        assert _share(row[2]) == pytest.approx(loyalty["types"][kind]["share"], abs=0.00051)
        assert _number(row[3]) == pytest.approx(loyalty["type_revenue"][kind]["revenue"], abs=0.005)
        assert _share(row[4]) == pytest.approx(loyalty["type_revenue"][kind]["share"], abs=0.00051)
    assert sum(t["count"] for t in loyalty["types"].values()) == loyalty["customers"]


@pytest.mark.parametrize("name", ["sample", "log"])
def test_period_change_and_win_back_equal_the_cli_json(pages, name):
    _, report, loaded = pages[name]
    dom = loaded.stdout
    change = report["period_comparison"]
    section = _section(dom, "change")
    takeaway = html.unescape(re.search(r'<p class="takeaway">(.*?)</p>', section, re.S).group(1))
    # "Net revenue went from 1,234.00 (2020-01-01 – 2020-12-31) to ...; 12 customers entered
    # class A and 9 left it."
    amounts = re.findall(r"(-?[\d,]+\.\d\d) \(", takeaway)
    assert _number(amounts[0]) == pytest.approx(change["revenue_before"], abs=0.005)
    assert _number(amounts[1]) == pytest.approx(change["revenue_after"], abs=0.005)
    assert f'({change["before"]["start"]} – {change["before"]["end"]})' in takeaway
    moved = re.search(r"([\d,]+) customers entered class A and ([\d,]+) left it", takeaway)
    assert int(_number(moved.group(1))) == len(change["entered_a"])
    assert int(_number(moved.group(2))) == len(change["left_a"])
    rows = _rows(section)
    by_class = {"A": rows[0], "B": rows[1], "C": rows[2], "none": rows[3]}
    for key, row in by_class.items():
        figures = change["by_class"][key]
        assert int(_number(row[1])) == figures["customers"]
        assert _number(row[2]) == pytest.approx(figures["revenue_before"], abs=0.005)
        assert _number(row[3]) == pytest.approx(figures["revenue_after"], abs=0.005)
    movers = rows[4:]
    assert {r[0] for r in movers if r[1] == "entered"} <= set(change["entered_a"])
    assert {r[0] for r in movers if r[1] == "left"} <= set(change["left_a"])
    assert len(movers) == min(10, len(change["entered_a"])) + min(10, len(change["left_a"]))

    win_back = report["retention"]["win_back"]
    section = _section(dom, "win-back")
    rows = _rows(section)
    assert [r[0] for r in rows] == [c["customer_id"] for c in win_back["customers"]]
    for row, c in zip(rows, win_back["customers"]):
        assert _number(row[1]) == pytest.approx(c["revenue"], abs=0.005)
        assert _share(row[2]) == pytest.approx(c["p_alive"], abs=0.00051)
        assert row[3] == c["contact_date"]
        assert row[4] == c["next_purchase_date"]
    assert len(rows) >= 1


def test_matrix_equals_the_cli_json(pages):
    _, report, loaded = pages["log"]
    matrix = report["matrix"]
    assert matrix["revenue_source"] == "rfm"
    rows = _rows(_section(loaded.stdout, "matrix"))
    assert [r[0] for r in rows] == [s["segment"] for s in matrix["segments"]]
    rfm = {s["segment"]: s["revenue"] for s in report["rfm"]["segments"]}
    for row, s in zip(rows, matrix["segments"]):
        assert float(row[1]) == pytest.approx(s["attractiveness"], abs=0.0051)  # 2 decimals
        assert float(row[2]) == pytest.approx(s["strength"], abs=0.0051)  # 0.625 -> "0.62"
        assert row[3] == f'{s["attractiveness_level"]} / {s["strength_level"]}'
        assert row[4] == s["zone"]
        assert _number(row[5]) == pytest.approx(s["revenue"], abs=0.005)
        assert s["revenue"] == rfm[s["segment"]]
    assert report["period_comparison"]["revenue_change"] == pytest.approx(
        (report["period_comparison"]["revenue_after"] - report["period_comparison"]["revenue_before"])
        / report["period_comparison"]["revenue_before"])


@pytest.mark.parametrize("name", ["sample", "log"])
def test_retention_economics_equals_the_cli_json(pages, name):
    # Issue 14: the "+5% loyal customers" and "8 times" section, its scenarios' table and what
    # was measured, against the JSON's `retention_economics`; its chart draws three lines.
    _, report, loaded = pages[name]
    e = report["retention_economics"]
    section = _section(loaded.stdout, "retention-economics")
    if e["omitted"] is not None:  # the generated logs have costs and span two years
        pytest.fail(e["omitted"])
    assert e["margin_source"] == "cost column"
    rows = _rows(section)
    for row, s in zip(rows[:3], e["scenarios"]):
        assert _share(row[1]) == pytest.approx(s["retention_rate"], abs=0.0005)
        assert _number(row[2]) == pytest.approx(s["revenue"], abs=0.005)
        assert _number(row[4]) == pytest.approx(s["margin"], abs=0.005)
    measured = {r[0]: r[1] for r in rows[3:] if len(r) == 2}
    rate = measured["retention rate (95% interval)"]
    low, high = re.findall(r"([\d.]+)%", rate)[1:]
    assert _share(rate.split()[0]) == pytest.approx(e["retention"]["rate"], abs=0.0005)
    assert float(low) / 100 == pytest.approx(e["retention"]["ci_low"], abs=0.0005)
    assert float(high) / 100 == pytest.approx(e["retention"]["ci_high"], abs=0.0005)
    assert measured["margin from"] == "the log's cost column"
    assert _number(measured["their lifetime value (margin)"]) == pytest.approx(
        e["extra_retained_value"], abs=0.005)
    svg = re.search(r"<svg\b.*?</svg>", section, re.S).group(0)
    assert len([p for p in re.findall(r'<polyline[^>]*points="([^"]*)"', svg)
                if len(p.split()) == e["design"]["horizon"]]) == 3


@pytest.mark.parametrize("name", ["sample", "log", "de"])
def test_csv_downloads_are_in_the_page(pages, name):
    # "Who to call this week" and "lapsed valuable customers to win back" as downloads (issue
    # 19): in the DOM the browser built, each list has one link with a download attribute whose
    # href is a non-empty data: URI (a file made from the page, no request), holding the JSON's
    # list; every other link of the page is an anchor within it, so no click fetches anything.
    _, report, loaded = pages[name]
    dom = loaded.stdout
    hrefs = re.findall(r'<a\b[^>]*\bhref="([^"]*)"', dom)
    assert hrefs and all(h.startswith("#") or h.startswith("data:") for h in hrefs), hrefs
    links = {m.group(2): (m.group(1), m.group(3)) for m in re.finditer(
        r'<a download="([^"]*)" href="(data:[^"]*)">([^<]*)</a>', dom)}
    files = {}
    for href, (download, text) in links.items():
        prefix = "data:text/csv;charset=utf-8,"
        assert href.startswith(prefix) and len(href) > len(prefix), href[:80]
        rows = list(csv.DictReader(io.StringIO(urllib.parse.unquote(html.unescape(href)[len(prefix):]))))
        files[download] = rows
        words = "Diese {} Kunden als CSV herunterladen" if name == "de" else "Download these {} customers as CSV"
        assert html.unescape(text).startswith(words.format(len(rows))), text
    assert sorted(files) == ["who_to_call.csv", "win_back.csv"]
    retention = report["retention"]
    assert [r["customer_id"] for r in files["who_to_call.csv"]] == [
        c["customer_id"] for c in retention["call_list"]["customers"]]
    assert [float(r["clv"]) for r in files["who_to_call.csv"]] == [
        c["value_at_risk"] for c in retention["call_list"]["customers"]]
    assert [(r["customer_id"], float(r["revenue"]), r["contact_date"]) for r in files["win_back.csv"]] == [
        (c["customer_id"], c["revenue"], c["contact_date"]) for c in retention["win_back"]["customers"]]
    assert files["who_to_call.csv"] and files["win_back.csv"]
