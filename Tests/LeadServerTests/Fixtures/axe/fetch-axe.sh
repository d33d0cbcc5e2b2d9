#!/bin/sh
# Vendors axe-core, the accessibility checker the browser tests run in the page (Browser.accessibilityViolations):
# axe.min.js as the Python package axe-playwright-python 0.1.8 ships it (axe-core 4.12.1, as its first line says),
# and LICENSE: axe-core's, the Mozilla Public License 2.0 (the wheel holds only the wrapper's MIT licence), with the
# preamble axe-core's repository puts before it and the text of Debian's /usr/share/common-licenses/MPL-2.0.
# Run from anywhere: sh Tests/LeadServerTests/Fixtures/axe/fetch-axe.sh (needs pip, unzip and PyPI).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
version=4.12.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pip download --quiet --no-deps axe-playwright-python==0.1.8 -d "$tmp/tmp"
unzip -q -o -d "$tmp" "$tmp"/tmp/axe_playwright_python-0.1.8-py3-none-any.whl axe_playwright_python/axe.min.js
head -n 1 "$tmp/axe_playwright_python/axe.min.js" | grep -qx "/\*! axe v$version" || {
    echo "fetch-axe.sh: the wheel's axe.min.js is not axe-core $version: $(head -n 1 "$tmp/axe_playwright_python/axe.min.js")" >&2
    exit 1
}
cp "$tmp/axe_playwright_python/axe.min.js" "$here/axe.min.js"
{
    printf '\nThis Source Code Form is subject to the terms of the Mozilla Public License, v.\n'
    printf '2.0. If a copy of the MPL was not distributed with this file, You can obtain one\n'
    printf 'at http://mozilla.org/MPL/2.0/.\n\n\nThe full text of the license follows:\n\n'
    cat /usr/share/common-licenses/MPL-2.0
} > "$here/LICENSE"
sha256sum "$here/axe.min.js"
