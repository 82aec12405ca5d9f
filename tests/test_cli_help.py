"""`--help` reads like a well-kept CLI's: flags without a type, every default shown, text
re-flowed to the terminal width; checked on every command and command group."""

from __future__ import annotations

import re

import pytest
import typer.main
from typer.testing import CliRunner

from scorecard.cli import app

WIDTH = 80
runner = CliRunner()


def _commands(command, path=()):
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


COMMANDS = dict(_commands(typer.main.get_command(app)))


def _help(path: tuple[str, ...]) -> str:
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": str(WIDTH)},
                           prog_name="scorecard")
    assert result.exit_code == 0, result.output
    return result.output


def _option_blocks(text: str) -> dict[str, str]:
    """Option entry -> its help text (continuation lines joined) from the Options section."""
    section = text.split("\nOptions:\n", 1)[1].split("\n\n", 1)[0]
    blocks: dict[str, str] = {}
    current = None
    for line in section.splitlines():
        match = re.match(r"  (\S.*?)(?:  +(\S.*))?$", line)
        if match and not line.startswith("   "):
            current = match.group(1)
            blocks[current] = match.group(2) or ""
        elif current is not None:
            blocks[current] += " " + line.strip()
    return blocks


def test_every_command_is_covered():
    names = {" ".join(p) for p in COMMANDS}
    assert {"iv", "bin", "fit", "score", "evaluate", "export", "fairness", "drift", "dashboard",
            "monitor create", "schedule add", "scheduler"} <= names


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=lambda p: " ".join(p) or "scorecard")
def test_help_shows_no_bool_placeholder_and_every_default(path):
    text = _help(path)
    assert "<bool>" not in text
    assert text.startswith(f"Usage: scorecard {' '.join(path)}".rstrip())
    blocks = _option_blocks(text)
    for param in COMMANDS[path].params:
        if param.param_type_name != "option":
            continue
        entry = next((k for k in blocks if param.opts[-1] in re.split(r"[ ,/]+", k)), None)
        assert entry is not None, (param.opts, list(blocks))
        if param.is_flag and not param.secondary_opts:
            assert not re.search(r"<\w+>", entry), entry  # a plain switch takes no value
            continue
        assert param.required or re.search(r"(\[|; )default: ", blocks[entry]), \
            (path, entry, blocks[entry])


def _reflowed(paragraph: list[str]) -> bool:
    """Greedy wrapping: no line could have taken the next line's first word."""
    return all(len(line) + 1 + len(nxt.split()[0]) > WIDTH
               for line, nxt in zip(paragraph, paragraph[1:]))


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=lambda p: " ".join(p) or "scorecard")
def test_descriptions_reflow_to_the_terminal_width(path):
    text = _help(path)
    lines = text.splitlines()
    assert max(map(len, lines)) <= WIDTH
    description = text.split("\n\n", 1)[1].split("\nArguments:\n")[0].split("\nOptions:\n")[0]
    for paragraph in description.strip("\n").split("\n\n"):
        assert _reflowed(paragraph.splitlines()), paragraph


def test_the_reflow_check_catches_ragged_text():
    assert not _reflowed(["  Every column except the target is a candidate", "  characteristic"])
    assert _reflowed(["x" * 75 + " word", "next"])


@pytest.mark.parametrize("command", ["iv", "fairness", "bin", "fit"])
def test_jobs_is_offered_with_its_default(command):
    blocks = _option_blocks(_help((command,)))
    entry = next((k for k in blocks if k.startswith("-j, --jobs")), None)
    assert entry is not None, sorted(blocks)
    assert "[default: -1]" in blocks[entry] and "every core" in blocks[entry]
