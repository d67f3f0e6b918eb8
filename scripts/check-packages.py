#!/usr/bin/env python3
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
"""Do the package lists give a fresh Debian 12 machine everything a build and its programs use?

    check-packages.py --list scripts/packages/headless.txt [--list …] [--build-dir build]
                      [--binary FILE …] [--needs scripts/packages/needs.txt] [--test-source F …]
                      [--add-build-to FILE] [--add-test-to FILE] [--only-runtime-needs]

It never asks what is installed here (where everything ever installed is present). It computes
what a fresh machine would have after installing the lists with --no-install-recommends: apt's
resolver, run against an empty status file, on Debian's minimal base system (every package of
priority "required" or Essential: yes in the archive apt knows, as `debootstrap --variant=minbase`
installs) plus the lists. Then it checks that this set holds the package that owns (as `dpkg -S`
says, read from dpkg's file lists) every file the build and its programs use:

  - every file configure read (build.ninja's list of CMake inputs), every program and library
    CMakeCache.txt found, every system path named in build.ninja (compilers, moc, rcc, lrelease,
    libraries) and every system header the compiler read (ninja's dependency log);
  - every shared library the built programs link (ldd on the build's executables and on --binary);
  - the Qt plugins and the libraries opened at run time, and the programs the tests start
    (--needs, one `<list> <kind> <name>` a line; a listed program must be found);
  - every Python module the Python tests import (the .py files among --test-source, resolved with
    the Python interpreter configure found); every program a test source starts by name must be
    listed in --needs.

A package missing from the lists is named with the file that needs it and the list to add it to.
Exit status 0: complete; 1: packages missing; 2: the check itself could not run.
"""

import argparse
import glob
import os
import pathlib
import re
import subprocess
import sys
import tempfile

SYSTEM_PREFIXES = ("/usr/", "/etc/", "/lib/", "/lib64/", "/bin/", "/sbin/", "/opt/")
# Merged /usr: dpkg may record /lib/x/y where the file is opened as /usr/lib/x/y and back.
MERGED_DIRS = ("/bin/", "/sbin/", "/lib/", "/lib32/", "/lib64/", "/libx32/")


class CheckError(Exception):
    """The check could not run (no apt lists, an unknown package, …)."""


def canonical(path):
    for prefix in MERGED_DIRS:
        if path.startswith(prefix):
            return "/usr" + path
    return path


def read_list(path):
    packages = []
    for line in pathlib.Path(path).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            packages.extend(line.split())
    return packages


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, **kwargs)


# --- What a fresh machine has --------------------------------------------------------------------

def minimal_base():
    """The packages of a minimal Debian root: priority required or Essential, from apt's lists."""
    targets = run(["apt-get", "indextargets", "--format", "$(FILENAME)", "Created-By: Packages"])
    files = [f for f in targets.stdout.split() if os.path.exists(f)]
    if not files:
        raise CheckError("apt knows no package index: run `apt-get update` first")
    base = set()
    for index in files:
        # Only the lines that matter: the indexes are large.
        cat = subprocess.Popen(["/usr/lib/apt/apt-helper", "cat-file", index],
                               stdout=subprocess.PIPE)
        fields = run(["grep", "-E", "^(Package: |Priority: required$|Essential: yes$)"],
                     stdin=cat.stdout)
        cat.wait()
        package = None
        for line in fields.stdout.splitlines():
            if line.startswith("Package: "):
                package = line.split()[1]
            elif package:
                base.add(package)
    return base


def fresh_machine(packages, base):
    """Every package a fresh machine has after `apt-get install --no-install-recommends`."""
    with tempfile.NamedTemporaryFile(prefix="empty-status-") as status:
        argv = ["apt-get", "-s", "-q", "-o", f"Dir::State::status={status.name}",
                "-o", "Debug::NoLocking=1", "-o", "Dir::Cache::pkgcache=",
                "-o", "APT::Install-Recommends=false",
                "-o", "APT::Install-Suggests=false", "install", *sorted(base), *packages]
        result = run(argv, env=dict(os.environ, LC_ALL="C"))
    if result.returncode != 0:
        raise CheckError("apt cannot install the lists on a fresh machine:\n" + result.stdout[-2000:]
                         + result.stderr)
    return {m.group(1).split(":")[0]
            for m in re.finditer(r"^Inst (\S+) ", result.stdout, re.M)}


# --- Who owns a file --------------------------------------------------------------------------------

def file_owners():
    """dpkg's own record of which package holds which path (what `dpkg -S` reads)."""
    owners = {}
    info = pathlib.Path("/var/lib/dpkg/info")
    for listing in info.glob("*.list"):
        package = listing.stem.split(":")[0]
        for path in listing.read_text(errors="replace").splitlines():
            owners.setdefault(canonical(path), set()).add(package)
    return owners


def owners_of(path, owners):
    found = set()
    for candidate in {path, os.path.realpath(path)}:
        found |= owners.get(canonical(candidate), set())
    return found


# --- What the build and the programs use ------------------------------------------------------------

def is_system_file(path):
    return path.startswith(SYSTEM_PREFIXES) and os.path.isfile(path)


class Needs:
    """Files that must come from a package, each with why and the list to add its owner to."""

    def __init__(self):
        self.files = {}

    def add(self, path, why, list_file):
        if is_system_file(path) and path not in self.files:
            self.files[path] = (why, list_file)


def collect_cmake(build, needs, list_file, test_list):
    ninja = build / "build.ninja"
    if not ninja.is_file():
        raise CheckError(f"{ninja} is missing: configure the build first")
    text = ninja.read_text()
    rerun = re.search(r"^build build\.ninja: RERUN_CMAKE \| (.*)$", text, re.M)
    for path in (rerun.group(1).split() if rerun else []):
        needs.add(path, "read by configure", list_file)
    for path in sorted(set(re.findall(r"(?<![\w.-])(/(?:usr|etc|lib|bin|opt)/[^\s:;\"'$]+)", text))):
        needs.add(path, "named in build.ninja", list_file)
    # The package configuration files of every find_package (the <Package>_DIR entries); other
    # things configure looked for and found but the build does not use (FindOpenGL's GLU, say)
    # are not needs: what the build uses is named in build.ninja or a CTestTestfile.cmake.
    for line in (build / "CMakeCache.txt").read_text().splitlines():
        entry = re.match(r"^(\w+)_DIR:PATH=(/.*)$", line)
        if entry and os.path.isdir(entry.group(2)):
            name, folder = entry.groups()
            for config in (f"{folder}/{name}Config.cmake", f"{folder}/{name.lower()}-config.cmake"):
                needs.add(config, f"found by configure ({name}_DIR)", list_file)
    for tests in ctest_files(build):
        for path in sorted(set(re.findall(r'"(/(?:usr|bin|opt)/[^"]+)"', tests.read_text()))):
            needs.add(path, "started by a test", test_list)
    deps = run(["ninja", "-C", str(build), "-t", "deps"])
    for path in sorted(set(re.findall(r"^\s+(/\S+)$", deps.stdout, re.M))):
        needs.add(path, "a header the compiler read", list_file)


def ctest_files(build):
    """The CTestTestfile.cmake files of the build tree. A test running beside this one may have a
    root file system of its own in the tree (tests/freshroot, with /proc mounted in it) that comes
    and goes: mount points are not entered, and folders that vanish while walked are skipped."""
    found = []
    for folder, subfolders, files in os.walk(build):
        subfolders[:] = [name for name in subfolders
                         if not os.path.ismount(os.path.join(folder, name))]
        if "CTestTestfile.cmake" in files:
            found.append(pathlib.Path(folder) / "CTestTestfile.cmake")
    return sorted(found)


def executables(build):
    found = []
    for folder in ("bin", "tests", "bench"):
        for path in sorted((build / folder).glob("*")):
            if path.is_file() and os.access(path, os.X_OK):
                with path.open("rb") as program:
                    if program.read(4) == b"\x7fELF":
                        found.append(path)
    return found


def linked_libraries(binary):
    result = run(["ldd", str(binary)])
    if result.returncode != 0:
        raise CheckError(f"ldd {binary}: {result.stderr.strip()}")
    missing = re.findall(r"^\s*(\S+) => not found", result.stdout, re.M)
    if missing:
        raise CheckError(f"{binary} links libraries this machine lacks: {', '.join(missing)}")
    return re.findall(r"(/\S+) \(0x", result.stdout)


def collect_linked(binaries, needs, list_file):
    for binary in binaries:
        for library in linked_libraries(binary):
            needs.add(library, f"linked by {binary.name}", list_file)


def qt_plugin_dir(binaries):
    for binary in binaries:
        for library in linked_libraries(binary):
            if os.path.basename(library).startswith("libQt6Core.so"):
                return pathlib.Path(os.path.realpath(library)).parent / "qt6" / "plugins"
    return None


def shared_library(name):
    for line in run(["/sbin/ldconfig", "-p"]).stdout.splitlines():
        match = re.match(rf"^\s+{re.escape(name)} \(libc6,x86-64[^)]*\) => (\S+)$", line)
        if match:
            return match.group(1)
    return None


def program_path(name):
    for folder in os.environ.get("PATH", "/usr/bin:/bin").split(":") + ["/usr/sbin", "/sbin"]:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    return None


def collect_listed(needs_file, lists_dir, wanted_lists, kinds, binaries, needs, problems,
                   rename=None):
    """The --needs file: `<list> <kind> <name>  # why`, kinds plugin, library and program."""
    plugins = qt_plugin_dir(binaries)
    for number, line in enumerate(pathlib.Path(needs_file).read_text().splitlines(), 1):
        why = line.split("#", 1)[1].strip() if "#" in line else ""
        fields = line.split("#", 1)[0].split()
        if not fields:
            continue
        if len(fields) != 3 or fields[1] not in ("plugin", "library", "program"):
            raise CheckError(f"{needs_file}:{number}: expected `<list> plugin|library|program "
                             f"<name>`, got: {line}")
        list_name, kind, name = fields
        if list_name not in wanted_lists or kind not in kinds:
            continue
        list_file = (rename or {}).get(list_name, lists_dir / f"{list_name}.txt")
        where = f"{needs_file}:{number}"
        if kind == "plugin":
            path = str(plugins / name) if plugins else None
            if path and os.path.isfile(path):
                needs.add(path, f"the Qt plugin {name} ({why or where})", list_file)
                collect_linked([pathlib.Path(path)], needs, list_file)
                continue
        elif kind == "library":
            path = shared_library(name)
            if path:
                needs.add(path, f"the library {name}, opened at run time ({why or where})",
                          list_file)
                continue
        else:
            path = program_path(name)
            if path:
                needs.add(path, f"the program {name} ({why or where})", list_file)
                continue
        problems.append(f"{where}: the {kind} {name} is not on this machine: install the package "
                        f"that has it and add that package to {list_file}")


def listed_programs(needs_file):
    names = set()
    for line in pathlib.Path(needs_file).read_text().splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) == 3 and fields[1] == "program":
            names.add(fields[2])
    return names


def programs_started_by(sources):
    """Programs the test sources start by name: QProcess::start, subprocess and which calls, and
    the interpreters of the scripts they write."""
    patterns = [r'\.start\(\s*QStringLiteral\("([^"]+)"\)',
                r'subprocess\.(?:run|Popen|check_call|check_output)\(\s*\[\s*"([^"]+)"',
                r'shutil\.which\("([^"]+)"\)',
                r'#!(/[^\s\\"]+)']
    found = {}
    for source in sources:
        text = pathlib.Path(source).read_text()
        for pattern in patterns:
            for name in re.findall(pattern, text):
                found.setdefault(os.path.basename(name), source)
    return found


def collect_python(python, sources, needs, list_file, problems):
    modules = {}
    for source in sources:
        # The test's own modules: beside it or in a folder below (tests/reliability).
        local = {p.stem for p in pathlib.Path(source).parent.rglob("*.py")}
        for line in pathlib.Path(source).read_text().splitlines():
            imported = re.match(r"^\s*import\s+([\w., ]+)", line)
            origin = re.match(r"^\s*from\s+(\w[\w.]*)\s+import\b", line)
            names = (imported.group(1).split(",") if imported
                     else [origin.group(1)] if origin else [])
            for name in names:
                top = name.strip().split(" ")[0].split(".")[0]
                if top and top not in local and top != "__future__":
                    modules.setdefault(top, source)
    script = ("import importlib, sys\n"
              "for name in sys.argv[1:]:\n"
              "    try:\n"
              "        module = importlib.import_module(name)\n"
              "        print(name, getattr(module, '__file__', None) or sys.executable)\n"
              "    except ImportError:\n"
              "        print(name, '-')\n")
    result = run([python, "-c", script, *sorted(modules)])
    needs.add(python, "the Python interpreter of the tests", list_file)
    for line in result.stdout.splitlines():
        name, path = line.split(" ", 1)
        if path == "-":
            problems.append(f"{modules[name]} imports {name}, which {python} cannot import: "
                            f"install its package and add it to {list_file}")
        else:
            needs.add(path, f"the Python module {name} ({os.path.basename(modules[name])})",
                      list_file)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--list", action="append", required=True, help="a package list file")
    parser.add_argument("--build-dir", help="a configured and built CMake build directory")
    parser.add_argument("--binary", action="append", default=[], help="a program to ldd")
    parser.add_argument("--needs", help="plugins, libraries and programs used at run time")
    parser.add_argument("--test-source", action="append", default=[],
                        help="a test's source: the programs it starts must be in --needs; a "
                             "Python one's imports are checked too")
    parser.add_argument("--add-build-to", help="the list named for what the build needs")
    parser.add_argument("--add-test-to", help="the list named for what the tests need")
    parser.add_argument("--runtime-of", metavar="LIST",
                        help="check only what --binary needs at run time, with the run-time "
                             "needs of LIST in --needs, naming the first --list for them")
    args = parser.parse_args()

    lists = [pathlib.Path(p) for p in args.list]
    lists_dir = lists[0].parent
    build_list = pathlib.Path(args.add_build_to) if args.add_build_to else lists[-1]
    test_list = pathlib.Path(args.add_test_to) if args.add_test_to else lists[-1]
    # What the build and the programs need must come without the test list (scripts/dev.sh run
    # installs only the build lists); what the tests need may come from any list.
    build_lists = [p for p in lists if args.add_test_to is None or p.resolve() != test_list.resolve()]
    try:
        packages = [p for path in lists for p in read_list(path)]
        base = minimal_base()
        fresh = fresh_machine(packages, base)
        fresh_build = fresh if build_lists == lists else fresh_machine(
            [p for path in build_lists for p in read_list(path)], base)
        owners = file_owners()

        needs, problems = Needs(), []
        binaries = [pathlib.Path(b) for b in args.binary]
        build = pathlib.Path(args.build_dir) if args.build_dir else None
        if build:
            collect_cmake(build, needs, build_list, test_list)
            binaries += executables(build)
        collect_linked(binaries, needs, build_list)
        if args.needs:
            if args.runtime_of:
                collect_listed(args.needs, lists_dir, {args.runtime_of}, {"plugin", "library"},
                               binaries, needs, problems, rename={args.runtime_of: lists[0]})
            else:
                collect_listed(args.needs, lists_dir, {p.stem for p in lists},
                               {"plugin", "library", "program"}, binaries, needs, problems)
                started = programs_started_by(args.test_source)
                for name, source in sorted(started.items()):
                    if name not in listed_programs(args.needs):
                        problems.append(f"{source} starts {name}: list it in {args.needs} as "
                                        f"`test program {name}`")
        python_sources = [s for s in args.test_source if s.endswith(".py")]
        if python_sources and build:
            cache = (build / "CMakeCache.txt").read_text()
            python = re.search(r"^QUEUEDECK_PYTHON:FILEPATH=(.+)$", cache, re.M)
            if python:
                collect_python(python.group(1), python_sources, needs, test_list, problems)
    except CheckError as error:
        print(f"check-packages: {error}", file=sys.stderr)
        return 2

    missing = {}
    unowned = []
    for path, (why, list_file) in sorted(needs.files.items()):
        owned_by = owners_of(path, owners)
        if not owned_by:
            if not path.startswith("/etc/"):
                unowned.append(f"{path} ({why}) belongs to no Debian package: it was installed "
                               "by hand, a fresh machine does not have it")
            continue
        for_tests = pathlib.Path(list_file).resolve() == test_list.resolve()
        if owned_by & (fresh if for_tests else fresh_build):
            continue
        key = (", ".join(sorted(owned_by)), str(list_file), for_tests)
        missing.setdefault(key, []).append(f"{path} ({why})")

    names = ", ".join(str(p) for p in lists)
    build_names = ", ".join(str(p) for p in build_lists)
    for (package, list_file, for_tests), uses in sorted(missing.items()):
        print(f"MISSING {package}: add it to {list_file}; a fresh machine with "
              f"{names if for_tests else build_names} lacks it")
        for use in uses[:5]:
            print(f"    needed for {use}")
        if len(uses) > 5:
            print(f"    and {len(uses) - 5} more files")
    for problem in problems + unowned:
        print(f"PROBLEM {problem}")
    if missing or problems or unowned:
        return 1
    print(f"package lists complete: {len(needs.files)} files used by the build and its programs "
          f"all come from the {len(fresh)} packages a fresh Debian 12 gets from {names} "
          f"(base: {len(base)} required packages)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
