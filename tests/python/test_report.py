"""cm.report and `custometrics report` are one report (issues 13 and 19): the core builds it and
writes it, so the text, the JSON and the HTML page are byte-identical between the faces, from a
file, from the generated sample and (figures) from a data frame."""

import json
import pathlib

import pytest

import custometrics as cm

from cli_tool import run

DATA = pathlib.Path(__file__).resolve().parents[2] / "data"


@pytest.fixture(scope="module")
def log_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "log.csv"
    run("generate", "--customers", "400", "--seed", "5", "--out", str(path))
    return path


def test_file_report_equals_the_cli(log_file, tmp_path):
    r = cm.report(log_file, fixed_costs_per_month=500.0, signals=DATA / "sample_signals.csv",
                  costs=DATA / "sample_costs.json")
    common = [str(log_file), "--fixed-costs-per-month", "500", "--signals",
              str(DATA / "sample_signals.csv"), "--costs", str(DATA / "sample_costs.json")]
    assert r.text == run("report", *common)
    assert r.to_json() == run("report", *common, "--format", "json")
    page = tmp_path / "r.html"
    run("report", *common, "--html", str(page))
    assert r.to_html() == page.read_text(encoding="utf-8")
    d = r.to_dict()
    assert d["source"] == str(log_file) and "break_even" in d and "profitability" in d


def test_sample_report_equals_the_cli():
    r = cm.report(sample_customers=300, sample_seed=9)
    assert r.text == run("report", "--sample-customers", "300", "--sample-seed", "9")
    assert str(r) == r.text
    assert r._repr_html_().startswith("<!DOCTYPE html>")
    assert repr(r) == "<Report 'custometrics report: generated sample (300 customers, seed 9)'>"


def test_frame_report_has_the_figures_of_the_file(log_file, tmp_path):
    frame = cm.read_transactions(log_file)
    from_frame = cm.report(frame).to_dict()
    from_file = cm.report(log_file).to_dict()
    assert from_frame.pop("source") == "data frame"
    from_file.pop("source")
    assert from_frame == from_file  # cost, product and channel found by their names
    out = tmp_path / "page.html"
    page = cm.report(frame).to_html(out)
    assert out.read_text(encoding="utf-8") == page


def test_errors_name_the_column(log_file):
    with pytest.raises(cm.ParseError) as e:
        cm.report(log_file, cost="cogs")
    assert e.value.column == "cogs" or "cogs" in str(e.value)
    with pytest.raises(ValueError, match="amount"):
        cm.report({"customer_id": [1], "date": ["2020-01-01"]})


def test_retention_model_choice_histogram_and_call_list(log_file):
    # The JSON read back: the model the section uses is the one chosen by holdout MAE (the
    # smallest score among the candidates), every scored customer is in one tenth of P(alive),
    # and the call list is ranked by value at risk, which sums to the list's total.
    r = cm.report(log_file).to_dict()["retention"]
    choice = r["model_choice"]
    assert choice["chosen"] == r["model"]
    assert choice["criterion"] == "mae" and choice["holdout_days"] > 28
    scores = {c["model"]: c["score"] for c in choice["candidates"] if c["usable"]}
    assert set(scores) <= {"bgnbd", "mbgnbd", "pnbd"}
    assert scores[r["model"]] == min(scores.values())
    assert sum(r["p_alive_histogram"]["counts"]) == r["customers"]
    calls = r["call_list"]["customers"]
    assert 0 < len(calls) <= 10
    values = [c["value_at_risk"] for c in calls]
    assert values == sorted(values, reverse=True)
    assert r["call_list"]["value_at_risk"] == pytest.approx(sum(values))
    assert all(0 <= c["p_alive"] <= 1 and c["expected_purchases_90d"] >= 0 for c in calls)
    # The page (rendered by the core, the CLI's bytes) offers the list and the win-back list as
    # CSV files in data: links (issue 19; tests/cpp/test_report_downloads.cpp reads them back).
    page = cm.report(log_file).to_html()
    for name in ("who_to_call.csv", "win_back.csv"):
        assert page.count(f'<a download="{name}" href="data:text/csv;charset=utf-8,') == 1, name


def test_currency_and_language_equal_the_cli(log_file, tmp_path):
    # Python and the CLI pass the same options to the core: the same bytes in both languages,
    # with the euro after the amount in German and first in English; the JSON is unchanged.
    r = cm.report(log_file, fixed_costs_per_month=500.0, currency="EUR", lang="de", locale="de")
    common = [str(log_file), "--fixed-costs-per-month", "500", "--currency", "EUR", "--lang", "de",
              "--locale", "de"]
    assert r.text == run("report", *common)
    page = tmp_path / "de.html"
    run("report", *common, "--html", str(page))
    assert r.to_html() == page.read_text(encoding="utf-8")
    assert '<html lang="de">' in r.to_html() and "Auf einen Blick" in r.to_html()
    assert "\nTransaktionen\n" in r.text and " €\n" in r.text
    # German numbers: the JSON's net revenue by Python's own formatting, '.' and ',' swapped
    # (1,234.50 -> 1.234,50); the locale follows the language unless given.
    net = f"{r.to_dict()['net_revenue']:,.2f}"
    german = net.replace(",", "_").replace(".", ",").replace("_", ".")
    assert f"  Nettoumsatz          {german} €\n" in r.text and f"{german} €</td>" in r.to_html()
    assert cm.report(log_file, fixed_costs_per_month=500.0, currency="EUR", lang="de").text == r.text
    en_numbers = cm.report(log_file, currency="EUR", lang="de", locale="en")
    assert f"  Nettoumsatz          €{net}\n" in en_numbers.text
    assert r.to_json() == cm.report(log_file, fixed_costs_per_month=500.0).to_json()
    usd = cm.report(sample_customers=300, sample_seed=9, currency="usd")
    assert usd.text == run("report", "--sample-customers", "300", "--sample-seed", "9",
                           "--currency", "usd")
    assert "  net revenue          $" in usd.text
    with pytest.raises(cm.InputError) as e:
        cm.report(log_file, currency="EURO")
    assert e.value.argument == "currency"
    with pytest.raises(cm.InputError) as e:
        cm.report(log_file, lang="fr")
    assert e.value.argument == "lang"
    with pytest.raises(cm.InputError) as e:
        cm.report(log_file, locale="fr")
    assert (e.value.argument, e.value.value) == ("locale", "fr")


def test_matrix_criteria_equal_the_cli(log_file, tmp_path):
    # The hand-worked case of test_report.cpp: attractiveness 0, 0.5, 1 (size), strength 1, 0,
    # 0.5 (share): C invest/grow with 600 of 1,000 revenue, B harvest/divest, A selective.
    criteria = tmp_path / "criteria.csv"
    criteria.write_text("segment,size,share,revenue\naxis,attractiveness,strength,attractiveness\n"
                        "weight,1,1,0\nA,10,0.5,100\nB,20,0.1,300\nC,30,0.3,600\n")
    r = cm.report(log_file, criteria=criteria)
    assert r.text == run("report", str(log_file), "--criteria", str(criteria))
    assert r.to_json() == run("report", str(log_file), "--criteria", str(criteria), "--format",
                              "json")
    m = r.to_dict()["matrix"]
    assert [(s["segment"], s["zone"]) for s in m["segments"]] == [
        ("C", "invest/grow"), ("B", "harvest/divest"), ("A", "selective")]
    assert [s["attractiveness"] for s in m["segments"]] == pytest.approx([1.0, 0.5, 0.0])
    assert [s["strength"] for s in m["segments"]] == pytest.approx([0.5, 0.0, 1.0])
    assert r.to_html().count('class="bubble"') == 3
    assert cm.report(log_file).to_dict()["matrix"] is None
    flat = tmp_path / "flat.csv"
    flat.write_text("segment,size\nA,1\nB,2\n")
    with pytest.raises(cm.InputError) as e:
        cm.report(log_file, criteria=flat)
    assert e.value.argument == "criteria"


# Run in a child process: the file-size limit makes the write of the page fail half-way (EFBIG
# once 4 KiB are written), which the core's output file reports after removing its temporary
# file; SIGXFSZ is ignored so that the write fails instead of killing the process.
_FAILING_WRITE = """
import resource, signal, sys
import custometrics as cm
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
r = cm.report(sample_customers=300, sample_seed=9)
m = cm.BetaGeoModel().fit(cm.summarize(cm.generate(customers=300, seed=9)))
page = r.to_html()
assert len(page) > 4096 and len(m.to_json()) < 4096
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
for write in (lambda: r.to_html(sys.argv[1]), lambda: m.save(sys.argv[2])):
    try:
        write()
        print("written")
    except cm.Error as e:
        print("refused", type(e).__name__, e.argument)
"""


def test_to_html_and_save_write_all_or_nothing(tmp_path):
    """Report.to_html(path) and a model's save(path) go through the core's output file: a write
    that fails half-way raises custometrics.Error and leaves the file that was there as it
    was, with no partial or temporary file beside it; a write that fits replaces it."""
    import subprocess
    import sys

    page, model = tmp_path / "r.html", tmp_path / "m.json"
    page.write_text("old page", encoding="utf-8")
    model.write_text("old model", encoding="utf-8")
    out = subprocess.run([sys.executable, "-c", _FAILING_WRITE, str(page), str(model)],
                         capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[0] == "refused Error path"
    assert out[1] == "written"  # the model's JSON is under the limit
    assert page.read_text(encoding="utf-8") == "old page"
    assert json.loads(model.read_text(encoding="utf-8"))["model"] == "bgnbd"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "r.html"]
    with pytest.raises(cm.InputError) as e:  # a folder that does not exist: nothing written
        cm.report(sample_customers=300, sample_seed=9).to_html(tmp_path / "no" / "r.html")
    assert e.value.argument == "path"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.json", "r.html"]


# The hand-worked log of tests/cpp/test_report_economics.cpp (issue 14): retention 4/7 over
# periods of 120 days, +5 points 231.41 against 215.88 over 2 periods; members M1 and M2 buy
# 1.5 purchases more in the 180 days after joining than their matched non-members (+300%).
HAND_LOG = ("customer_id,date,amount\nN3,2020-01-01,10\nM1,2020-04-10,30\nN1,2020-04-10,30\n"
            "M2,2020-05-30,60\nN2,2020-05-30,60\nM1,2020-07-19,30\nN1,2020-07-19,30\n"
            "M1,2020-09-07,30\nM2,2020-10-27,60\nM2,2020-11-16,60\nN3,2020-12-25,10\n")
HAND_MEMBERS = "customer_id,joined\nM1,2020-06-29\nM2,2020-06-29\nX9,2020-06-29\n"


@pytest.fixture()
def hand_files(tmp_path):
    log, members = tmp_path / "econ.csv", tmp_path / "members.csv"
    log.write_text(HAND_LOG)
    members.write_text(HAND_MEMBERS)
    return log, members


def test_economics_and_programme_sections_equal_the_cli(hand_files, tmp_path):
    log, members = hand_files
    r = cm.report(log, members=members, margin_rate=0.5, period_days=120, horizon=2)
    common = [str(log), "--members", str(members), "--margin-rate", "0.5", "--period-days",
              "120", "--horizon", "2"]
    assert r.text == run("report", *common)
    assert r.to_json() == run("report", *common, "--format", "json")
    page = tmp_path / "r.html"
    run("report", *common, "--html", str(page))
    assert r.to_html() == page.read_text(encoding="utf-8")
    d = r.to_dict()
    e, p = d["retention_economics"], d["programme"]
    assert e["margin_source"] == "margin rate" and e["omitted"] is None
    assert e["retention"]["rate"] == pytest.approx(4 / 7)
    assert e["scenarios"][1]["revenue"] == pytest.approx(231.413622)
    assert e["extra_retained"] == pytest.approx(0.15)
    assert e["extra_retained_value"] == pytest.approx(7.067910)
    assert p["evaluated"] == 2 and p["frequency"]["relative"] == pytest.approx(3.0)
    assert p["economics"]["incremental_margin"] == pytest.approx(37.5)
    assert '<section id="retention-economics">' in r.to_html()
    assert "57.1% (25.0% to 84.2%)" in r.text and "57.1% (25.0% to 84.2%)" in r.to_html()
    # The same options give the figures `log_retention_economics` gives on its own.
    pd = pytest.importorskip("pandas")
    alone = cm.log_retention_economics(pd.read_csv(log, parse_dates=["date"]), margin_rate=0.5,
                                       period_days=120, horizon=2)
    assert e["retention"]["rate"] == pytest.approx(alone.retention_rate, rel=1e-15)


def test_economics_skipped_and_errors_name_the_keyword(hand_files):
    log, members = hand_files
    d = cm.report(log).to_dict()
    assert d["retention_economics"]["omitted"] == (
        "the log has no cost column and no margin rate was given (margin_rate)")
    assert d["programme"] is None
    short = cm.report(log, margin_rate=0.5).to_dict()["retention_economics"]
    assert short["omitted"].startswith("period_days: the log covers 360 days")
    assert "Ausgelassen:" in cm.report(log, lang="de").text
    with pytest.raises(cm.InputError) as e:
        cm.report(log, margin_rate=0.5, period_days=0)
    assert e.value.argument == "period_days"
    with pytest.raises(cm.Error) as e:
        cm.report(log, members=log.parent / "none.csv", margin_rate=0.5)
    assert e.value.argument == "members"


def test_cli_progress_on_a_terminal_only():
    # Issue 19: `report` draws its progress (read, summarise, fit, render) on standard error
    # when that is a terminal (a pseudo-terminal here), and writes nothing there into a pipe.
    import os
    import pty
    import subprocess
    import threading

    from cli_tool import cli

    args = [cli(), "report", "--sample-customers", "500", "--format", "json"]
    master, slave = pty.openpty()
    seen = []

    def read():  # drain the terminal while the CLI writes, so that it never blocks
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the CLI closed its end
                return
            if not chunk:
                return
            seen.append(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    done = subprocess.run(args, stdout=subprocess.PIPE, stderr=slave, timeout=300)
    os.close(slave)
    reader.join(timeout=60)
    os.close(master)
    assert done.returncode == 0
    bar = b"".join(seen).decode("utf-8", "replace")
    assert "report" in bar and "#" in bar and "\r" in bar, bar[-500:]
    piped = subprocess.run(args, capture_output=True, timeout=300)
    assert piped.returncode == 0 and piped.stderr == b""
    assert piped.stdout == done.stdout  # the report itself is the same either way
