# Quick start: `make demo` then `make test`. Everything installs into .venv.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SOURCES := pyproject.toml $(shell find src specs -type f -not -name '*.pyc' 2>/dev/null)

# What the tests take from npm (the TypeScript compiler and types, the SARIF
# schema), pinned by tools/node/package-lock.json.
TSC    := tools/node/node_modules/.bin/tsc

.PHONY: demo test install bench ripgrep clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# A regular (non-editable) install, so the run uses the spec as it ships in the wheel.
$(STAMP): $(SOURCES) | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check ".[test]"
	touch $@

install: $(STAMP)

$(TSC): tools/node/package.json tools/node/package-lock.json
	cd tools/node && npm ci --no-audit --no-fund --silent
	touch $@

# The main job on the bundled sample app. Exit 1 means "done, but a human has
# follow-ups", which is what the sample app is for, so the target accepts it.
demo: $(STAMP)
	$(VENV)/bin/nooble-codemod apply fixtures/sample-app --dry-run; \
	  status=$$?; test $$status -le 1

test: $(STAMP) $(TSC)
	$(PY) -m pytest

# The speed comparison (not part of the tests): ripgrep comes from the Debian
# package, ast-grep from PyPI. BENCH_ARGS="--files 2000 --runs 3" for a quick one.
BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check ".[test,bench]"
	touch $@

bench: $(BENCH_STAMP)
	@command -v rg >/dev/null || $(MAKE) --no-print-directory ripgrep
	$(PY) bench/compare.py $(BENCH_ARGS)

# The Debian package, as root or through sudo; without either the bench
# skips ripgrep's row and says so.
ripgrep:
	@SUDO=$$(test "$$(id -u)" = 0 || echo sudo -n); \
	  { $$SUDO apt-get install -y -qq ripgrep || { $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq ripgrep; }; } >/dev/null 2>&1 \
	  || echo "could not install ripgrep (apt-get install ripgrep): its row is skipped"

clean:
	rm -rf $(VENV) .pytest_cache tools/node/node_modules
