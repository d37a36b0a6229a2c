# AcousticPipe — the two commands a user needs: `make run` (demo end to end) and `make test`.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
PIPE := .build/release/pipe
DEMO ?= demo
THREADS ?= $(shell nproc)

# Debian packages the build and the tests need (pkg-config names in Package.swift).
DEBIAN_PACKAGES := pkg-config libhdf5-dev libsndfile1-dev libsamplerate0-dev libsoxr-dev \
                   libfftw3-dev libopenblas-dev nettle-dev python3-h5py python3-numpy

.PHONY: deps build run test bench clean

## deps: install the missing Debian packages (a no-op when all are present)
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	else echo "deps: all Debian packages present"; fi

## build: release build of the `pipe` executable
build: deps
	$(SWIFT) build -c release --product pipe

## run: synthetic TAU 2020 + CochlScene + CAS 2023 -> ingest -> unified 10-class pretraining view
run: build
	rm -rf $(DEMO)
	$(PIPE) synth tau2020 cochlscene cas2023 --out $(DEMO)/data --per-class 2 --seed 0
	$(PIPE) ingest tau2020 cochlscene cas2023 --data $(DEMO)/data --out $(DEMO)/store --threads $(THREADS)
	$(PIPE) labels merge --taxonomy manifests/taxonomies/asc10.yaml $(DEMO)/store --out $(DEMO)/pretrain
	$(PIPE) info $(DEMO)/pretrain

## test: the whole test suite (unit, golden, end-to-end, h5py interop)
test: deps
	$(SWIFT) build
	$(SWIFT) test

## bench: speed and memory of the default ingest pipeline on 10-s 48 kHz stereo 24-bit clips
bench: build
	OPENBLAS_NUM_THREADS=1 $(PIPE) bench --clips 200 --threads $(THREADS) --work $(DEMO)/bench
	@if python3 -c "import librosa, soundfile, h5py" 2>/dev/null; then \
	  python3 Tests/Bench/python_reference.py $(DEMO)/bench/audio-200 --workers $(THREADS); \
	else echo "python reference skipped (pip install librosa==0.11.0 soundfile h5py to compare)"; fi
	@if python3 -c "import numpy, scipy" 2>/dev/null; then OPENBLAS_NUM_THREADS=1 python3 Tests/Bench/python_augment.py; \
	else echo "augmentation references skipped (numpy and scipy needed)"; fi

clean:
	rm -rf .build $(DEMO)
