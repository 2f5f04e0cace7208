"""CLI parsing: every command has --help, usage errors are one line with exit code 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from snhr_crawler.cli import build_parser, main
from snhr_crawler.ops.crawl import _configure_output, plan, read_origins_file
from tests.ops.conftest import run_cli

pytestmark = pytest.mark.e2e

COMMANDS = ["crawl", "status", "export", "verify", "replica", "audit"]


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
        (["export", "-o", "x.csv", "--since", "2024-02-30"], "expected YYYY-MM-DD"),
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
    assert "health-check threshold" in line
    assert not archive.exists()  # no lock taken, nothing crawled


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
            "DOWNLOAD_DELAY=7",
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


def test_in_a_terminal_progress_is_live_and_the_log_goes_to_the_run(tmp_path: Path) -> None:
    settings = plan(build_parser().parse_args(["crawl", "--archive", str(tmp_path)])).settings
    log = _configure_output(settings, tmp_path, "20261125T021500Z", tty=True)
    assert settings["OPS_PROGRESS"] == "tty"
    assert log == tmp_path / "runs" / "20261125T021500Z.log"
    assert settings["LOG_FILE"] == str(log)


def test_under_cron_progress_is_logged_and_the_log_stays_on_stderr(tmp_path: Path) -> None:
    settings = plan(build_parser().parse_args(["crawl", "--archive", str(tmp_path)])).settings
    assert _configure_output(settings, tmp_path, "20261125T021500Z", tty=False) is None
    assert settings["OPS_PROGRESS"] == "log"
    assert not settings.get("LOG_FILE")


def test_set_wins_over_the_terminal_default(tmp_path: Path) -> None:
    args = ["crawl", "--archive", str(tmp_path), "--set", "OPS_PROGRESS=off"]
    settings = plan(build_parser().parse_args(args)).settings
    _configure_output(settings, tmp_path, "20261125T021500Z", tty=True)
    assert settings["OPS_PROGRESS"] == "off"


def test_status_of_a_missing_archive_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["status", "--archive", str(tmp_path / "nope")]) == 1
    assert capsys.readouterr().err.count("\n") == 1
