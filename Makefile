# The two commands the README shows: `make lab` and `make test`.
# Both work from a fresh clone on Debian with Python >= 3.10: they create .venv and install into it.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# PyTorch is a test-time oracle only (parity tests and benchmarks), never a runtime dependency.
# 2.13.0 is the CPU build; any other version pulls gigabytes of CUDA packages.
TORCH  := torch==2.13.0
# Test-time oracles built on torch, installed without their dependencies so that none of them can
# pull another torch (their small pure-Python dependencies are in the test extra).
ORACLES := captum==0.9.0 opacus==1.6.0 fairlearn==0.15.0

.PHONY: lab test lint bench system-data clean

$(BIN)/python:
	@echo "[1/3] creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)

# pip shows what it collects and a bar per download: the first install takes a few minutes.
$(VENV)/.lab-installed: pyproject.toml | $(BIN)/python
	@echo "[2/3] installing neuronlab and the lab's packages (numpy, starlette, uvicorn) into $(VENV)"
	$(BIN)/python -m pip install --progress-bar on -e '.[lab]'
	@echo "[3/3] installed; starting the lab"
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[lab,test]' '$(TORCH)'
	$(BIN)/python -m pip install --quiet --no-deps $(ORACLES)
	touch $@ $(VENV)/.lab-installed

# Debian packages the tests use: Fashion-MNIST, a word list, Chromium for the browser tests.
system-data:
	@bash scripts/install-system-data.sh

lab: $(VENV)/.lab-installed
	$(BIN)/neuronlab lab

# Two test processes, one BLAS thread each: on two cores, threaded BLAS inside parallel tests
# mostly waits for the other process.
test: $(VENV)/.test-installed system-data
	$(BIN)/ruff check src tests benchmarks
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 $(BIN)/python -m pytest -n 2

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: $(VENV)/.test-installed system-data
	$(BIN)/python -m benchmarks.run_all

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache
