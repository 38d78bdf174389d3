# The two set-up commands of the README: `make explore` and `make test`.
# Both create the virtual environment and install what is missing on first use.

VENV   ?= .venv
PYTHON ?= python3
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp

.PHONY: explore test lint browser jena owl bpmnlint shacl-engine benchmark differential golden clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

explore: $(STAMP)
	$(BIN)/streamlit run app.py

# Debian's chromium for the end-to-end browser test (installed when running as root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: chromium not installed and not root: the browser test will be skipped"; fi; }

# Debian's Apache Jena and a JRE for the Jena SHACL test (installed when running as root).
jena:
	@{ command -v java >/dev/null 2>&1 && test -f /usr/share/java/jena-shacl.jar; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libapache-jena-java default-jre-headless >/dev/null; \
	  else echo "note: Java or Jena not installed and not root: the Jena SHACL test will be skipped"; fi; }

# Debian's OWL API and a JDK for the OWL 2 DL profile check (tests/test_owl_profile.py; the
# checker, tests/owl/ProfileCheck.java, is compiled when launched), installed when running as root.
owl:
	@{ command -v javac >/dev/null 2>&1 && test -f /usr/share/java/owlapi-distribution.jar; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libowlapi-java default-jdk-headless >/dev/null; \
	  else echo "note: a JDK or the OWL API is not installed and not root: the OWL 2 DL profile check will be skipped"; fi; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# bpmnlint (pinned in tests/bpmn/package-lock.json) for the BPMN export test; Debian's npm when root.
BPMNLINT = tests/bpmn/node_modules/.package-lock.json
bpmnlint: $(BPMNLINT)
$(BPMNLINT): tests/bpmn/package.json tests/bpmn/package-lock.json
	@command -v npm >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/bpmn --no-audit --no-fund --silent; \
	else echo "note: npm not installed and not root: the bpmnlint test will be skipped"; fi

# shacl-engine (rdf-ext; pinned in tests/shacl-engine/package-lock.json) for the second
# SHACL-SPARQL engine test (tests/test_shacl_engine.py); Debian's npm when root.
SHACL_ENGINE = tests/shacl-engine/node_modules/.package-lock.json
shacl-engine: $(SHACL_ENGINE)
$(SHACL_ENGINE): tests/shacl-engine/package.json tests/shacl-engine/package-lock.json
	@command -v npm >/dev/null 2>&1 || [ "$$(id -u)" != 0 ] || { apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	@if command -v npm >/dev/null 2>&1; then npm ci --prefix tests/shacl-engine --no-audit --no-fund --silent; \
	else echo "note: npm not installed and not root: the shacl-engine test will be skipped"; fi

test: $(STAMP) browser jena owl bpmnlint shacl-engine lint
	$(BIN)/python -m pytest

# About a quarter of an hour on 2 cores: every engine's pathways validate at 10,000, 100,000 and
# 1,000,000 synthetic cases (pySHACL on a sample), then the columnar engine's stages.
benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py

# About 20 minutes on 2 cores: every engine against pySHACL on 2,000 synthetic cases, finding by finding.
differential: $(STAMP)
	$(BIN)/python benchmarks/differential.py --cases 2000

# Rewrite the flowcharts' golden files (tests/golden/) after a deliberate change to the model
# or to viz/, or for a new authority; review the diff before committing.
golden: $(STAMP)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_flowchart_dot.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts
