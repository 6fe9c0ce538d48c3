# Two commands do everything on a fresh machine with Python 3.11, make and git:
#   make report   build the HTML report from the committed processed data (REGION=CR15 for another region)
#   make test     run the whole test suite
# Both create .venv and install the pinned dependencies when missing.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
REGION ?= CR12
BASE ?=
END ?=
COMPARATOR ?=
REGISTRY ?=
MIRROR ?= ../shared/data
# Two test workers (pytest-xdist): 9.5 min instead of 13 on two cores; PYTEST_ARGS= runs them one by one.
PYTEST_ARGS ?= -n 2

.PHONY: report atlas test data fetch-mirror build status bench lock clean-venv

$(STAMP): pyproject.toml requirements/constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

# make report REGION=CR15 BASE=2011 END=2016 COMPARATOR=NL01 REGISTRY=my_claims.toml
# (each optional; empty = the shipped registry and each claim's reading)
# exec: the build replaces the recipe's shell, and --end-with-parent ends it (kernels included, the
# previous report kept) when make itself is killed, even by kill -9.
report: $(STAMP)
	exec $(PY) -m analysis report --end-with-parent --region $(REGION) $(if $(BASE),--base-year $(BASE),) $(if $(END),--end-year $(END),) \
		$(if $(COMPARATOR),--comparator $(COMPARATOR),) $(if $(REGISTRY),--registry $(REGISTRY),)

# Every COROP region's report in one run (reports/ for Twente, reports/<CODE>/ for the others, and
# reports/atlas.html with the map); make report REGION=all is the same. Reruns build only what changed.
atlas: $(STAMP)
	exec $(PY) -m analysis report --end-with-parent --region all $(if $(REGISTRY),--registry $(REGISTRY),)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# Refresh the processed tables: from the live services (make data MIRROR=) or an offline mirror.
# A live fetch keeps the snapshots of datasets without live source and exits 1 only if a dataset
# that should have been fetched failed; the build runs after a fetch that succeeded.
data: $(STAMP)
	$(PY) -m analysis fetch $(if $(MIRROR),--mirror $(MIRROR),)
	$(PY) -m analysis build

status: $(STAMP)
	$(PY) -m analysis status

bench: $(STAMP)
	$(PY) benchmarks/run.py

# Re-pin every dependency (run after changing pyproject.toml; commit the result).
# The lab extra (JupyterLab) is installed first so that its pins are kept too.
lock: $(STAMP)
	$(PY) -m pip install --quiet -e ".[dev,lab]"
	$(PY) -m pip freeze --exclude-editable | grep -v '^twente-claims' > requirements/constraints.txt

clean-venv:
	rm -rf $(VENV)
