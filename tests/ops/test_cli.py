"""CLI parsing: every command has --help, usage errors are one line with exit code 2."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import snhr_crawler
from snhr_crawler.cli import build_parser, main
from snhr_crawler.ops.crawl import configure_output, plan, read_origins_file
from tests.ops.conftest import REPO, run_cli

pytestmark = pytest.mark.e2e

COMMANDS = ["crawl", "status", "export", "verify", "reparse", "replica", "audit"]


def usage_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Run ``main(argv)``, expect exit 2 and exactly one line on stderr; return that line."""
    code: int | None
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code  # type: ignore[assignment]
    out, err = capsys.readouterr()
    assert code == 2, (out, err)
    lines = err.splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help_for_every_command(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main([*command, "--help"])
    assert exc.value.code == 0
    assert "usage: snhr-crawler" in capsys.readouterr().out


def test_all_subcommands_registered() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    assert set(COMMANDS) <= set(subparsers.choices)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        ([], "required: COMMAND"),
        (["bogus"], "invalid choice: 'bogus'"),
        (["crawl", "no_such_source"], "unknown source 'no_such_source'"),
        (["crawl", "--since", "2024-13-01"], "--since: not a real date"),
        (["crawl", "--since", "yesterday"], "--since: expected YYYY-MM-DD"),
        (["crawl", "--max-pages", "0"], "--max-pages: expected a positive integer"),
        (["crawl", "--origin", "snhr_news"], "--origin: expected SOURCE=URL, got 'snhr_news'"),
        (["crawl", "--origin", "snhr_news=ftp://x"], "--origin: expected scheme://host"),
        (["crawl", "snhr_news", "--origin", "snhr_reports=http://127.0.0.1:1"], "not a source"),
        (["crawl", "--set", "DOWNLOAD_DELAY"], "--set: expected NAME=VALUE"),
        (["crawl", "--set", "OPS_CHECK_MAX_ERROR_RATE=abc"], "OPS_CHECK_MAX_ERROR_RATE='abc'"),
        (["crawl", "--set", "OPS_CHECK_MIN_FIELD_COVERAGE={title"], "OPS_CHECK_MIN_FIELD_"),
        (["crawl", "--set", 'OPS_CHECK_MIN_FIELD_COVERAGE={"title": "x"}'], "threshold"),
        (["crawl", "--set", "OPS_CHECK_HISTORY=many"], "OPS_CHECK_HISTORY='many'"),
        (["export"], "the following arguments are required: --output"),
        (["export", "--output", "out.xlsx"], "cannot tell the format"),
        (["export", "-o", "x.csv", "--format", "xml"], "invalid choice: 'xml'"),
        (["export", "-o", "x.csv", "--since", "2024-02-30"], "--since: not a real date"),
        (["status", "--bogus"], "unrecognized arguments: --bogus"),
    ],
)
def test_usage_errors_are_one_line_exit_2(
    argv: list[str], expected: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    if argv[:1] == ["export"] and ("--output" in argv or "-o" in argv):
        argv = [*argv, "--archive", str(tmp_path)]
    line = usage_error(capsys, argv)
    assert line.startswith("snhr-crawler")
    assert expected in line


def test_a_bad_threshold_stops_the_run_before_it_starts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    archive = tmp_path / "a"
    line = usage_error(
        capsys, ["crawl", "--archive", str(archive), "--set", "OPS_CHECK_MAX_ERROR_RATE=abc"]
    )
    assert "--set OPS_CHECK_MAX_ERROR_RATE='abc' is not a number" in line
    assert not archive.exists()  # no lock taken, nothing crawled
    line = usage_error(
        capsys,
        ["crawl", "--archive", str(archive), "--set", 'OPS_CHECK_MIN_FIELD_COVERAGE={"t": "x"}'],
    )
    assert "health-check threshold" in line
    assert not archive.exists()


def test_a_bad_threshold_in_the_environment_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SNHR_MAX_ERROR_RATE", "abc")
    result = run_cli("crawl", "snhr_news", "--archive", str(tmp_path / "a"))
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "SNHR_" in result.stderr
    assert "'abc'" in result.stderr
    assert not (tmp_path / "a").exists()


def test_plan_reads_the_thresholds_used_after_the_crawl(tmp_path: Path) -> None:
    args = build_parser().parse_args(
        ["crawl", "--archive", str(tmp_path), "--set", "OPS_CHECK_MAX_ERROR_RATE=0.2"]
    )
    assert plan(args).thresholds.max_error_rate == 0.2


def test_plan_passes_options_to_each_spider(tmp_path: Path) -> None:
    origins = tmp_path / "origins.txt"
    origins.write_text(
        "snhr_news http://127.0.0.1:8001\nsnhr_reports http://127.0.0.1:8002\n", "utf-8"
    )
    args = build_parser().parse_args(
        [
            "crawl",
            "snhr_news",
            "--origins-file",
            str(origins),
            "--since",
            "2024-01-01",
            "--max-pages",
            "2",
            "--full",
            "--discovery",
            "sitemap",
            "--archive",
            str(tmp_path / "a"),
            "--set",
            "DOWNLOAD_DELAY=7",  # more polite than the default: allowed for a live site
        ]
    )
    the_plan = plan(args)
    assert the_plan.sources == ["snhr_news"]
    assert the_plan.spider_args == {
        "snhr_news": {
            "origin": "http://127.0.0.1:8001",
            "since": "2024-01-01",
            "max_pages": "2",
            "discovery": "sitemap",
            "full": "true",
        }
    }
    assert the_plan.settings.getfloat("DOWNLOAD_DELAY") == 7
    assert the_plan.archive_dir == tmp_path / "a"


def test_crawl_defaults_to_every_spider(tmp_path: Path) -> None:
    the_plan = plan(build_parser().parse_args(["crawl", "--archive", str(tmp_path)]))
    assert the_plan.sources == sorted(the_plan.sources)
    assert "snhr_news" in the_plan.sources
    assert len(the_plan.sources) >= 2


def test_origins_file_accepts_json(tmp_path: Path) -> None:
    path = tmp_path / "origins.json"
    path.write_text('{"snhr_news": "http://127.0.0.1:9"}', "utf-8")
    assert read_origins_file(path) == {"snhr_news": "http://127.0.0.1:9"}


def _planned(tmp_path: Path, *extra: str) -> Any:
    return plan(build_parser().parse_args(["crawl", "--archive", str(tmp_path), *extra]))


def test_in_a_terminal_progress_is_live_and_the_log_goes_to_the_run(tmp_path: Path) -> None:
    the_plan = _planned(tmp_path)
    log = configure_output(the_plan, "20261125T021500Z", tty=True)
    assert log == tmp_path / "runs" / "20261125T021500Z.log"
    for settings in (the_plan.settings, *the_plan.source_settings.values()):
        assert settings["OPS_PROGRESS"] == "tty"
        assert settings["LOG_FILE"] == str(log)


def test_under_cron_the_log_goes_to_the_run_too(tmp_path: Path) -> None:
    the_plan = _planned(tmp_path)
    log = configure_output(the_plan, "20261125T021500Z", tty=False)
    assert log == tmp_path / "runs" / "20261125T021500Z.log"
    assert the_plan.settings_for("snhr_news")["OPS_PROGRESS"] == "log"  # into that file
    assert the_plan.settings_for("snhr_news")["LOG_FILE"] == str(log)


def test_scrapy_log_keeps_the_log_on_stderr_and_quiet_turns_progress_off(tmp_path: Path) -> None:
    the_plan = _planned(tmp_path)
    assert configure_output(the_plan, "r", tty=True, scrapy_log=True) is None
    assert not the_plan.settings_for("snhr_news").get("LOG_FILE")
    assert the_plan.settings_for("snhr_news")["OPS_PROGRESS"] == "log"  # lines, among the log
    quiet = _planned(tmp_path)
    configure_output(quiet, "r", tty=True, quiet=True)
    assert quiet.settings_for("snhr_news")["OPS_PROGRESS"] == "off"


def test_set_wins_over_the_terminal_default(tmp_path: Path) -> None:
    the_plan = _planned(tmp_path, "--set", "OPS_PROGRESS=off")
    configure_output(the_plan, "20261125T021500Z", tty=True)
    assert the_plan.settings_for("snhr_news")["OPS_PROGRESS"] == "off"


def test_status_of_a_missing_archive_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--archive", str(tmp_path / "nope")]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def _all_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                found += _all_parsers(sub)
    return found


def test_help_texts_are_plain_text() -> None:
    """No reST markup (``name``, :role:`x`) shows in any command's --help."""
    parsers = _all_parsers(build_parser())
    assert len(parsers) >= 9  # the top level, six commands, replica serve and truth
    for parser in parsers:
        text = parser.format_help()
        assert "``" not in text, parser.prog
        assert ":class:`" not in text, parser.prog
        assert max(len(line) for line in text.splitlines()) <= 100, parser.prog


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith(f"snhr-crawler {snhr_crawler.__version__} (Scrapy ")
    assert len(out.splitlines()) == 1


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """``status | head``: the reader went away before the table was written."""
    (tmp_path / "runs").mkdir()
    proc = subprocess.Popen(
        [sys.executable, "-m", "snhr_crawler.cli", "status", "--archive", str(tmp_path)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141, err
    assert err == ""
