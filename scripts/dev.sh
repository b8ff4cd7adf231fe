#!/usr/bin/env bash
# Sets up everything in .venv (and Chromium for the browser tests), then:
#   scripts/dev.sh serve   check the events, build the site and serve it with live reload
#   scripts/dev.sh test    run lint, types, audits and the whole test suite
#   scripts/dev.sh lock    pin the dependencies the workflows install, with their hashes
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
    # Every audit, the pedantic ones included; what remains is suppressed with its reason.
    .venv/bin/zizmor --offline --quiet --persona auditor .github/workflows
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
    lock)
        setup
        shift
        # requirements/workflows.txt: what the workflows that hold a write token or secrets
        # install, every package pinned with the hashes of its files (pip --require-hashes), the
        # build backend included. Run after changing the dependencies in pyproject.toml (the
        # tests fail until then); `scripts/dev.sh lock --upgrade` moves every pin to the newest
        # release. From the public index only: a machine's pip configuration may add wheel
        # folders or mirrors whose files a runner would never see.
        env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL PIP_CONFIG_FILE=/dev/null \
            CUSTOM_COMPILE_COMMAND="scripts/dev.sh lock" \
            .venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --all-build-deps \
            --strip-extras --no-emit-index-url --no-emit-find-links \
            --output-file requirements/workflows.txt "$@" pyproject.toml
        ;;
    *)
        echo "usage: scripts/dev.sh serve|test|lock [options]" >&2
        exit 2
        ;;
esac
