"""One CLI vocabulary (cli/options.py): a shared option has the same spellings, metavar and
help in every command that has it, and no command accepts an option it ignores."""

from __future__ import annotations

import argparse

import pytest

from moisinno_data.cli import COMMANDS, OWN_FOLDER, build_parser, main

SHARED = ("--format", "--json", "--max", "--schema", "--sheet", "-o", "--force", "--root", "--lang")


def _options(command: str) -> dict[str, argparse.Action]:
    parser = build_parser(command)
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return {s: a for a in sub.choices[command]._actions for s in a.option_strings}


def test_a_shared_option_reads_the_same_in_every_command():
    seen: dict[str, tuple] = {}
    for command in COMMANDS:
        for flag, action in _options(command).items():
            if flag not in SHARED:
                continue
            # --max's, --schema's, --sheet's help say what the command does with it, -o's metavar
            # the kind of file written (FICHIER.xlsx): the rest is one
            shape = (tuple(action.option_strings), action.dest, action.type)
            if flag == "-o":  # FICHIER, or FICHIER.ext when only one kind is written
                assert action.metavar.split(".")[0] == "FICHIER", (command, action.metavar)
            else:
                shape += (action.metavar,)
            if flag in ("--json", "--force", "--root", "--lang"):
                shape += (action.help,)
            if flag in ("--schema",) and command == "init":
                continue  # init's --schema is a file or a URL, repeated: not a table
            assert seen.setdefault(flag, shape) == shape, (command, flag)


@pytest.mark.parametrize("command", sorted(OWN_FOLDER))
def test_commands_that_make_their_own_folder_refuse_root(command, capsys, tmp_path):
    """init and demo make their folder: a --root there was accepted and silently ignored."""
    assert "--root" not in _options(command)
    argv = [command, "--root", str(tmp_path), "--lang", "en"]
    if command == "init":
        argv[1:1] = [str(tmp_path / "new"), "--schema", "schema.json"]
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    assert "unrecognized arguments: --root" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()
