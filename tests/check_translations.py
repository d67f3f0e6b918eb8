#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Every user-facing string of the desktop app is translated: reads the sources again into a copy
of each .ts file (so a string added without a translation counts) and fails when lrelease reports
an unfinished one.

    check_translations.py LUPDATE LRELEASE TS_FILE... -- SOURCE...
"""
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path


def main():
    lupdate, lrelease, *rest = sys.argv[1:]
    split = rest.index("--")
    ts_files, sources = rest[:split], rest[split + 1:]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for ts in ts_files:
            copy = Path(tmp) / Path(ts).name
            shutil.copy(ts, copy)
            subprocess.run([lupdate, "-no-obsolete", "-locations", "none", *sources, "-ts", str(copy)],
                           check=True, capture_output=True, text=True)
            out = subprocess.run([lrelease, str(copy), "-qm", str(copy.with_suffix(".qm"))],
                                 check=True, capture_output=True, text=True).stdout
            match = re.search(r"(\d+) finished and (\d+) unfinished", out)
            if not match:
                print(f"{ts}: cannot read lrelease's report:\n{out}")
                failures += 1
                continue
            finished, unfinished = int(match[1]), int(match[2])
            # Strings without any translation are not counted as unfinished but ignored.
            ignored = re.search(r"Ignored (\d+) untranslated", out)
            unfinished += int(ignored[1]) if ignored else 0
            print(f"{Path(ts).name}: {finished} finished, {unfinished} unfinished")
            if finished == 0 or unfinished:
                failures += 1
                for message in ET.parse(copy).getroot().iter("message"):
                    if message.find("translation").get("type") == "unfinished":
                        print("  unfinished:", repr(message.findtext("source")))
    if failures:
        print("translate the strings above in translations/*.ts (Qt Linguist), "
              "after `cmake --build build --target update_translations`")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
