"""Whatever a person types, every ``o2c`` command ends with one line and a non-zero exit, never a traceback.

The commands are enumerated from the Typer app, so a command added later is covered too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from o2c.cli import app, register_commands
from o2c.cli_commands.common import INTERNAL_ERROR

runner = CliRunner()
register_commands()


def _commands(group: object, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], object]]:
    children = getattr(group, "commands", None)
    if children is None:
        yield path, group
        return
    for name, child in sorted(children.items()):
        yield from _commands(child, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def _options(command: object) -> list[object]:
    return [p for p in command.params if getattr(p, "opts", None) and p.opts[0].startswith("--")]  # type: ignore[attr-defined]


def _bad_inputs(command: object, tmp: Path) -> Iterator[list[str]]:
    yield ["--no-such-option"]
    for option in _options(command):
        name = option.opts[0]  # type: ignore[attr-defined]
        if name == "--db":
            yield ["--db", str(tmp)]
            yield ["--db", str(tmp / "missing" / "x.db")]
            yield ["--db", "mysql://nobody@localhost/x"]
        elif getattr(option, "is_flag", False):
            yield [f"{name}=maybe"]
        elif getattr(option, "metavar", None) == "DATE":
            yield [name, "2026-13-45"]
        else:
            kind = option.type_descriptor  # type: ignore[attr-defined]
            if kind.is_choice:
                yield [name, "planet"]
            elif kind.annotation in (int, float):
                yield [name, "abc"]
                if getattr(option, "min", None) is not None:
                    yield [name, str(option.min - 1)]  # type: ignore[attr-defined]
            elif kind.annotation is Path:
                yield [name, str(tmp / "no" / "such" / "file")]


def _assert_one_line_refusal(result: object, args: list[str]) -> None:
    output = result.output  # type: ignore[attr-defined]
    assert result.exit_code not in (0, INTERNAL_ERROR), (args, result.exit_code, output)  # type: ignore[attr-defined]
    assert "Traceback" not in output, (args, output)
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, (args, output)


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_every_command_refuses_bad_input_in_one_line(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    command = dict(COMMANDS)[path]
    for bad in _bad_inputs(command, tmp_path):
        args = [*path, *bad]
        _assert_one_line_refusal(runner.invoke(app, args), args)


@pytest.fixture(scope="module")
def empty_books(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("books") / "books.db"
    assert runner.invoke(app, ["db", "upgrade", "--db", str(db)]).exit_code == 0
    return db


@pytest.mark.parametrize(
    "args",
    [
        ["collections", "kpis", "--as-of", "2026-13-45"],
        ["collections", "kpis", "--by", "planet"],
        ["demo", "--days", "-5"],
        ["events", "retry", "999999", "nosuchagent"],
        ["events", "retry", "999999", "credit"],
        ["approvals", "list", "--status", "foo"],
        ["audit", "show", "--limit", "-3"],
        ["approvals", "approve", "PR-999999", "--user", "alice"],
        ["statement", "C99999"],
        ["collections", "worklist", "--collector", "nobody"],
        ["today", "--set", "2026-02-30"],
    ],
)
def test_the_issues_bad_inputs_are_refused_in_one_line(args, empty_books):
    _assert_one_line_refusal(runner.invoke(app, [*args, "--db", str(empty_books)]), args)


def test_a_mistyped_database_file_is_reported_and_not_created(tmp_path):
    missing = tmp_path / "mistyped.db"
    result = runner.invoke(app, ["approvals", "list", "--db", str(missing)])
    _assert_one_line_refusal(result, ["approvals", "list"])
    assert "no o2c database" in result.output
    assert not missing.exists()


def test_a_database_path_and_a_url_name_the_same_books(empty_books):
    by_path = runner.invoke(app, ["approvals", "list", "--db", str(empty_books)])
    by_url = runner.invoke(app, ["approvals", "list", "--db", f"sqlite:///{empty_books}"])
    assert by_path.exit_code == by_url.exit_code == 0
    assert by_path.output == by_url.output == "pending proposals: none\n"


def test_an_unreachable_postgresql_is_one_line():
    result = runner.invoke(app, ["approvals", "list", "--db", "postgresql://postgres@127.0.0.1:1/o2c"])
    _assert_one_line_refusal(result, ["approvals", "list"])
    assert "cannot reach the database" in result.output


def test_the_demo_refuses_to_erase_books_that_are_not_a_demo(empty_books):
    assert (
        runner.invoke(app, ["users", "add", "alice", "--role", "admin", "--db", str(empty_books)]).exit_code
        == 0
    )
    result = runner.invoke(app, ["demo", "--days", "1", "--db", str(empty_books)])
    _assert_one_line_refusal(result, ["demo"])
    assert "--force" in result.output
    assert runner.invoke(app, ["approvals", "list", "--db", str(empty_books)]).exit_code == 0


def test_version_is_printed():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("o2c ")


def test_help_shows_no_type_noise_and_every_option_is_explained():
    for path, command in COMMANDS:
        result = runner.invoke(app, [*path, "--help"], terminal_width=200)
        assert result.exit_code == 0, path
        assert "<bool>" not in result.output, path
        for option in _options(command):
            assert getattr(option, "help", None), f"{' '.join(path)} {option.opts[0]} has no help text"  # type: ignore[attr-defined]
