#!/usr/bin/env bash
# Serves an Allure 3 report on loopback, opens it in headless Chromium and checks it lists every test; saves screenshots.
# Usage: scripts/check-allure-report.sh [report-dir=allure-report] [screenshot=TestResults/allure-report.png]
# Needs `npm ci` (allure, playwright-core) and Chromium (/usr/bin/chromium or $CHROMIUM).
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/check-allure-report.mjs "$@"
