#!/usr/bin/env bash
# SPDX-FileCopyrightText: QueueDeck authors
# SPDX-License-Identifier: MIT
#
# Checks of the built Debian packages, one per CTest test:
#   check_packages.sh lintian DEB…        lintian reports no error (warnings are printed)
#   check_packages.sh metadata DEB        the AppStream data and the desktop entry in the
#                                         package validate (appstreamcli --no-net,
#                                         desktop-file-validate)
#   check_packages.sh units DEB           systemd-analyze verify on the package's units, with
#                                         the package unpacked as their root (its /usr/bin/qdeck
#                                         and man page), quiet or failed; the server's
#                                         sandbox scored by systemd-analyze security
set -euo pipefail

check=$1
shift
for deb in "$@"; do
    if [ ! -f "$deb" ]; then
        echo "FAIL: $deb was not built (cmake --build BUILD --target package)" >&2
        exit 1
    fi
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

case $check in
lintian)
    # Root is how CI runs it; lintian says so on stderr, which is not a finding.
    lintian --tag-display-limit 0 --display-info "$@" 2>"$work/stderr" | tee "$work/tags" || true
    grep -v 'running with root privileges' "$work/stderr" >&2 || true
    if grep -q '^E: ' "$work/tags"; then
        echo "FAIL: lintian reports errors (E:) above" >&2
        exit 1
    fi
    if grep -q 'warning\|error' "$work/stderr"; then
        echo "FAIL: lintian did not run cleanly" >&2
        exit 1
    fi
    echo "lintian: no errors, $(grep -c '^W: ' "$work/tags" || true) warning(s)"
    ;;
metadata)
    dpkg-deb -x "$1" "$work/root"
    metainfo=("$work"/root/usr/share/metainfo/*.metainfo.xml)
    desktop=("$work"/root/usr/share/applications/*.desktop)
    appstreamcli validate --no-net --explain "${metainfo[@]}"
    desktop-file-validate "${desktop[@]}"
    # The entry's icon is in the package, in the hicolor theme.
    icon=$(sed -n 's/^Icon=//p' "${desktop[0]}")
    ls "$work"/root/usr/share/icons/hicolor/*/apps/"$icon".png >/dev/null
    # The AppStream launchable is the entry the package installs.
    launchable=$(sed -n 's:.*<launchable type="desktop-id">\(.*\)</launchable>.*:\1:p' "${metainfo[0]}")
    test -f "$work/root/usr/share/applications/$launchable"
    echo "metadata: ${metainfo[0]##*/} and ${desktop[0]##*/} validate"
    ;;
units)
    dpkg-deb -x "$1" "$work/root"
    units=()
    for unit in "$work"/root/lib/systemd/system/*.service; do
        name=${unit##*/}
        # A template is verified as one of its instances.
        units+=("${name/@.service/@check.service}")
    done
    # The system's own units (targets the package's units name) beside the package's files.
    cp -rn /lib/systemd/system/. "$work/root/lib/systemd/system/"
    if ! MANPATH=$work/root/usr/share/man SYSTEMD_LOG_COLOR=0 \
        systemd-analyze verify --root="$work/root" "${units[@]}" 2>"$work/findings"; then
        cat "$work/findings" >&2
        echo "FAIL: systemd-analyze verify failed" >&2
        exit 1
    fi
    if [ -s "$work/findings" ]; then
        cat "$work/findings" >&2
        echo "FAIL: systemd-analyze verify has findings" >&2
        exit 1
    fi
    # The server's sandbox stays tight: systemd's own exposure score (0 to 10), at most 2.0.
    # The workers run any handler, so their units are only verified.
    if ! systemd-analyze security --offline=true --root="$work/root" --threshold=20 \
        qdeck-serve.service >"$work/security" 2>&1; then
        cat "$work/security" >&2
        echo "FAIL: qdeck-serve.service is exposed above 2.0: restore its hardening" >&2
        exit 1
    fi
    echo "units: ${units[*]} verify; $(grep -o 'Overall exposure level.*' "$work/security")"
    ;;
*)
    echo "usage: check_packages.sh lintian|metadata|units DEB…" >&2
    exit 2
    ;;
esac
