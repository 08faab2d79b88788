# The two set-up commands of the README: `make demo` and `make test`. Both create the
# project's own virtual environment (.venv) on first use, so a fresh machine needs only
# Python 3.11+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: install demo test lint bench

# pip's output goes to .venv/install.log and is shown only when the install fails.
$(STAMP): pyproject.toml
	@echo "Installing backorder-rates and its test tools into $(VENV) ..."
	@$(PYTHON) -m venv $(VENV)
	@{ $(BIN)/python -m pip install --upgrade pip \
	   && $(BIN)/python -m pip install -e '.[test,compiled]'; } > $(VENV)/install.log 2>&1 \
	   || { cat $(VENV)/install.log; exit 1; }
	@touch $(STAMP)

# The domain compiled with mypyc into build/mypyc/ (tools/compile_domain.py), again whenever
# a domain source is newer than the build. It never fails the install (but under CI, which
# must test what ships): when it cannot compile, it says in one line that the domain runs
# as pure Python, and why. The build is
# used only while it matches the sources (rates/compiled/freshness.py); RATES_PURE_PYTHON=1 skips it.
DOMAIN_BUILD := build/mypyc/built-from
$(DOMAIN_BUILD): $(STAMP) $(shell find rates/domain -name '*.py')
	@$(BIN)/python tools/compile_domain.py

install: $(STAMP) $(DOMAIN_BUILD)

DEMO_KEY := rk_demo_quote_key_for_the_bundled_example_only

# Quote the bundled mixed cart (some items in stock, some backordered) on the example
# setup, then serve the example over HTTP until Ctrl-C, with a curl line to try.
demo: install
	$(BIN)/rates quote examples/carts/mixed.json --config config.example.yaml
	@echo
	@echo "Serving the example on http://127.0.0.1:8080 (Ctrl-C stops). In another terminal:"
	@echo "  curl -s http://127.0.0.1:8080/v1/quotes -H 'Authorization: Bearer $(DEMO_KEY)' \\"
	@echo "       -H 'Content-Type: application/json' --data @examples/carts/mixed.json"
	@echo "Support console: http://127.0.0.1:8080/support (sign in with"
	@echo "  rk_demo_support_key_for_the_bundled_example_only)"
	@echo
	$(BIN)/rates serve --config config.example.yaml

lint: install
	$(BIN)/ruff check rates tests benchmarks
	$(BIN)/mypy

# Lint, type-check, the whole test suite, then every benchmark once in smoke mode so none rots.
# What the system must provide (wrk, chromium, PostgreSQL) is installed first where it can
# be (as root, with apt-get); elsewhere each step that lacks one skips what needs it and
# says so, and the last line of output gathers those skips with the command that installs
# each (tests/support/system_needs.py). Under CI nothing may skip.
SKIPPED := $(abspath $(VENV))/skipped
test: export RATES_SKIPPED_FILE = $(SKIPPED)
test: lint
	@$(BIN)/python -m tests.support.system_needs install
	@rm -f $(SKIPPED)
	$(BIN)/pytest
	RATES_PURE_PYTHON=1 $(BIN)/pytest tests/domain
	$(BIN)/python benchmarks/quote.py --smoke
	$(BIN)/python benchmarks/live.py --smoke
	$(BIN)/python benchmarks/scaling.py --smoke
	$(BIN)/python benchmarks/http_load.py --smoke
	$(BIN)/python benchmarks/http_load.py --smoke --shopify
	$(BIN)/python benchmarks/orders.py --smoke
	$(BIN)/python benchmarks/calibration.py --smoke
	$(BIN)/python benchmarks/calibration_speed.py --smoke
	$(BIN)/python benchmarks/soak.py --smoke
	$(BIN)/python benchmarks/retention.py --smoke
	@$(BIN)/python -m tests.support.system_needs report

bench: install
	$(BIN)/python benchmarks/quote.py
	$(BIN)/python benchmarks/live.py
	$(BIN)/python benchmarks/scaling.py
	$(BIN)/python benchmarks/http_load.py
	$(BIN)/python benchmarks/orders.py
