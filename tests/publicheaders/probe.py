#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Compiles, with the flags a library's user is built with (read from compile_commands.json),
first that user (it must compile), then one translation unit per header named on the command
line, each of which must fail because the header is not found."""

import argparse
import json
import os
import shlex
import subprocess
import sys
import tempfile

# Options of the compile command that name outputs or the source, with the value they take.
DROPPED_WITH_VALUE = {"-o", "-MT", "-MF", "-MQ"}
DROPPED = {"-c", "-MD", "-MMD"}


def user_command(compile_commands, user):
    with open(compile_commands, encoding="utf-8") as f:
        entries = json.load(f)
    wanted = os.path.realpath(user)
    for entry in entries:
        source = os.path.join(entry["directory"], entry["file"])
        if os.path.realpath(source) != wanted:
            continue
        words = entry.get("arguments") or shlex.split(entry["command"])
        flags = []
        skip = False
        for word in words[1:]:
            if skip:
                skip = False
            elif word in DROPPED_WITH_VALUE:
                skip = True
            elif word in DROPPED or os.path.realpath(os.path.join(entry["directory"], word)) == wanted:
                continue
            else:
                flags.append(word)
        return entry["directory"], [words[0], *flags, "-fsyntax-only"]
    sys.exit(f"{user} is not in {compile_commands}: configure and build the tree first")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--compile-commands", required=True)
    parser.add_argument("--user", required=True, help="a source that includes the public headers")
    parser.add_argument("private", nargs="*", help="headers the user must not reach")
    args = parser.parse_args()

    directory, command = user_command(args.compile_commands, args.user)
    control = subprocess.run([*command, args.user], cwd=directory, capture_output=True, text=True)
    if control.returncode != 0:
        sys.exit(f"the public headers do not compile for their user:\n{control.stderr}")

    reached = []
    with tempfile.TemporaryDirectory() as work:
        probe = os.path.join(work, "probe.cpp")
        for header in args.private:
            with open(probe, "w", encoding="utf-8") as f:
                f.write(f'#include "{header}"\n')
            result = subprocess.run([*command, probe], cwd=directory, capture_output=True,
                                    text=True)
            missing = result.returncode != 0 and (
                "No such file or directory" in result.stderr or "file not found" in result.stderr)
            if not missing:
                reached.append(header)
    print(f"{len(args.private) - len(reached)} private headers out of reach of "
          f"{os.path.basename(args.user)}'s user")
    if reached:
        sys.exit("reachable, though private: " + " ".join(reached))


if __name__ == "__main__":
    main()
