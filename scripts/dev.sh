#!/usr/bin/env bash
# Sets up everything in .venv (and Chromium for the browser tests), then:
#   scripts/dev.sh serve   check the events, build the site and serve it with live reload
#   scripts/dev.sh test    run lint, types, audits and the whole test suite
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
# Material prints a banner about its successor on every build; it is not a warning about the site.
export NO_MKDOCS_2_WARNING=1

setup() {
    if [ ! -x .venv/bin/python ]; then
        "$python" -m venv .venv
    fi
    # Reinstall only when the declared dependencies changed.
    local stamp=.venv/.signupsheet-installed
    if [ ! -f "$stamp" ] || ! cmp -s pyproject.toml "$stamp"; then
        .venv/bin/python -m pip install --quiet --upgrade pip
        .venv/bin/python -m pip install --quiet -e '.[test]'
        cp pyproject.toml "$stamp"
    fi
}

browser() {
    # Browser tests drive the system's Chromium; Playwright cannot download its own here.
    if [ ! -x /usr/bin/chromium ]; then
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
        else
            echo "Chromium is missing: install it (Debian: sudo apt-get install chromium)" >&2
            exit 1
        fi
    fi
}

audit_workflows() {
    .venv/bin/zizmor --offline --quiet .github/workflows
    .venv/bin/actionlint
    .venv/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
    if compgen -G ".github/ISSUE_TEMPLATE/*.yml" >/dev/null; then
        # config.yml has a schema of its own; the others are issue forms.
        local forms
        forms=$(find .github/ISSUE_TEMPLATE -name '*.yml' ! -name config.yml | sort)
        [ -z "$forms" ] || .venv/bin/check-jsonschema --builtin-schema vendor.github-issue-forms $forms
        if [ -f .github/ISSUE_TEMPLATE/config.yml ]; then
            .venv/bin/check-jsonschema --builtin-schema vendor.github-issue-config \
                .github/ISSUE_TEMPLATE/config.yml
        fi
    fi
}

case "${1:-}" in
    serve)
        setup
        .venv/bin/signupsheet validate
        # Rebuilds when docs/, events/ or mkdocs.yml change.
        exec .venv/bin/mkdocs serve "${@:2}"
        ;;
    test)
        setup
        browser
        shift
        .venv/bin/ruff check scripts tests benchmarks
        .venv/bin/ruff format --check scripts tests benchmarks
        .venv/bin/mypy
        .venv/bin/signupsheet validate
        .venv/bin/signupsheet forms --check
        audit_workflows
        .venv/bin/mkdocs build --strict --quiet --site-dir build/site
        .venv/bin/python -m pytest "$@"
        ;;
    *)
        echo "usage: scripts/dev.sh serve|test [pytest options]" >&2
        exit 2
        ;;
esac
