# Two commands do all the set-up on a fresh machine (Python 3.11, Java 17, Maven):
#   make check-corpus   installs repair and LanguageTool, then runs `repair check corpus/`
#   make test           installs the same and Chromium (the HTML report's browser tests), then runs the whole test suite
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?= -n auto --dist loadfile  # tests of one file share a worker (their module fixtures: a Ray cluster, a LanguageTool home)

.PHONY: install languagetool browser check-corpus fix-corpus-diff test bench bench-quick bench-languagetool bench-html eval clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,datasets,ray,dask]'
	# the word-frequency table (built once from the wordfreq package, about 20 s)
	$(BIN)/python -c "from repair import wordlists; wordlists.zipf('the', 'en')"
	touch $@

install: $(BIN)/.installed

languagetool:
	bash scripts/install-languagetool.sh

# Debian's Chromium and its driver, for the HTML report's tests (tests/test_report_html.py) and benchmark; once
# (as root, or through sudo); the package lists are refreshed only when the install fails without
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get install -y chromium chromium-driver \
		|| { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium chromium-driver; }; \
	fi

check-corpus: install languagetool
	$(BIN)/repair check corpus/; status=$$?; if [ $$status -gt 1 ]; then exit $$status; fi

fix-corpus-diff: install languagetool
	$(BIN)/repair fix --diff corpus/; status=$$?; if [ $$status -gt 1 ]; then exit $$status; fi

test: install languagetool browser
	$(BIN)/python -m pytest $(PYTEST_ARGS)

eval: install
	$(BIN)/python bench/eval.py

bench: install languagetool
	PYTHON=$(abspath $(BIN))/python PATH=$(abspath $(BIN)):$$PATH bash bench/run.sh

bench-quick: install
	PYTHON=$(abspath $(BIN))/python PATH=$(abspath $(BIN)):$$PATH bash bench/run.sh --quick

bench-languagetool: install languagetool
	$(BIN)/python bench/languagetool_bench.py

bench-html: install browser
	$(BIN)/python bench/html_report_bench.py

clean:
	rm -rf $(VENV) .repair_cache languagetool/target bench/out bench/.peers
