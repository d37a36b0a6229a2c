# AcousticPipe — the two commands a user needs: `make run` (demo end to end) and `make test`.
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
PIPE := .build/release/pipe
DEMO ?= demo
THREADS ?= $(shell nproc)
PREFIX ?= /usr/local

# Debian packages the build and the tests need (pkg-config names in Package.swift).
DEBIAN_PACKAGES := pkg-config libhdf5-dev libsndfile1-dev libsamplerate0-dev libsoxr-dev \
                   libfftw3-dev libopenblas-dev nettle-dev python3-h5py python3-numpy \
                   munge slurmctld slurmd slurm-client openmpi-bin gnuplot-nox

.PHONY: deps pydeps build install embed run test bench clean

## deps: install the missing Debian packages (a no-op when all are present)
deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  rc_policy=""; if [ ! -e /usr/sbin/policy-rc.d ]; then rc_policy=1; \
	    printf '#!/bin/sh\nexit 101\n' | $(SUDO) tee /usr/sbin/policy-rc.d >/dev/null && $(SUDO) chmod +x /usr/sbin/policy-rc.d; fi; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	  status=$$?; [ -z "$$rc_policy" ] || $(SUDO) rm -f /usr/sbin/policy-rc.d; [ $$status -eq 0 ] || exit $$status; \
	else echo "deps: all Debian packages present"; fi

## pydeps: Hugging Face `datasets` for the dataset-card test (PyPI; tests only, never needed to run pipe).
## Best effort: without it that one test skips and says why.
pydeps:
	@python3 -c "import datasets" 2>/dev/null && echo "pydeps: datasets present" || \
	  python3 -m pip install -q --disable-pip-version-check "datasets>=4" h5py || \
	  echo "pydeps: could not install datasets; HuggingFaceDatasetsTests will skip"

## build: release build of the `pipe` executable, with the Swift runtime and Foundation linked in
## statically, so the binary runs where no Swift toolchain is installed (see README, "Install")
build: deps
	$(SWIFT) build -c release --product pipe --static-swift-stdlib

## install: copy that binary to $(PREFIX)/bin (PREFIX=/usr/local by default)
install: build
	@if ldd $(PIPE) | grep -q 'libswift'; then echo "$(PIPE) needs a Swift runtime library:"; ldd $(PIPE) | grep libswift; exit 1; fi
	install -d "$(PREFIX)/bin"
	install -m 755 $(PIPE) "$(PREFIX)/bin/pipe"
	@echo "installed $(PREFIX)/bin/pipe"

## embed: regenerate the copies of pipelines/*.yaml and manifests/taxonomies/*.yaml built into pipe
## (ShippedFilesTests fails while they differ from the files)
embed:
	python3 Sources/ShippedFiles/embed.py

## run: synthetic TAU 2020 + CochlScene + CAS 2023 -> ingest -> unified 10-class pretraining view -> Valid-Hard split and its plots;
## then the compact CNN trained on the pretraining view, its predictions view and evaluation
run: build
	rm -rf $(DEMO)
	$(PIPE) synth tau2020 cochlscene cas2023 --out $(DEMO)/data --per-class 2 --seed 0
	$(PIPE) ingest tau2020 cochlscene cas2023 --data $(DEMO)/data --out $(DEMO)/store --threads $(THREADS)
	$(PIPE) labels merge --taxonomy manifests/taxonomies/asc10.yaml $(DEMO)/store --out $(DEMO)/pretrain
	$(PIPE) info $(DEMO)/pretrain
	$(PIPE) train $(DEMO)/pretrain --features features/logmel64 --epochs 15 --batch 16 --learning-rate 0.003 --seed 1 --out $(DEMO)/model.json
	$(PIPE) predict $(DEMO)/model.json $(DEMO)/pretrain --out $(DEMO)/predicted --csv $(DEMO)/predictions.csv
	$(PIPE) evaluate $(DEMO)/predictions.csv $(DEMO)/pretrain --split validation --out $(DEMO)/evaluation
	$(PIPE) split domain $(DEMO)/pretrain --within validation --reference $(DEMO)/store --reference-source cas2023 \
	  --reference-split unlabeled --threshold 0.9 --out $(DEMO)/valid-hard
	$(PIPE) plot $(DEMO)/valid-hard --row 0 --out $(DEMO)/valid-hard/reports/row0-spectrogram
	@echo "Valid-Hard split: $(DEMO)/valid-hard (meta/split); tables and plots: $(DEMO)/valid-hard/reports/"
	$(PIPE) train $(DEMO)/pretrain --model cnn --features features/logmel64 --epochs 10 --batch 8 --learning-rate 0.003 --seed 1 \
	  --checkpoint $(DEMO)/cnn-checkpoints --out $(DEMO)/cnn.h5
	$(PIPE) predict $(DEMO)/cnn.h5 $(DEMO)/pretrain --out $(DEMO)/cnn-predicted --csv $(DEMO)/cnn-predictions.csv
	$(PIPE) evaluate $(DEMO)/cnn-predicted --split validation
	$(PIPE) evaluate $(DEMO)/cnn-predicted --split test

## test: the whole test suite (unit, golden, end-to-end, h5py interop), then the scale-out test on a
## single-node Slurm started for it (4-task array + afterok merge, a killed task rerun, mpirun -n 2)
test: deps pydeps
	$(SWIFT) build
	$(SWIFT) test
	Tests/ScaleOut/cluster_test.sh .build/debug/pipe

## bench: the side-by-side of issue 8 first — `pipe ingest` alternating with the bare C floor
## (../shared/bench/ingest_floor.c) and with the Python reference on 200 10-s 48 kHz stereo 24-bit clips,
## medians of pairwise ratios, peak RSS at 200 and 2,000 clips; then stage costs, representations,
## augmentations, the scale-out rate (N = 1, 2 worker processes, merge of 10,000 shards) and streaming
FLOOR := .build/bench/ingest_floor
PAIRS ?= 9
PYTHON_PAIRS ?= 9
bench: build
	mkdir -p $(dir $(FLOOR))
	gcc -O2 -o $(FLOOR) ../shared/bench/ingest_floor.c $$(pkg-config --cflags --libs fftw3f openblas sndfile soxr) -lpthread -lm
	$(PIPE) bench --clips-only --clips 200 --work $(DEMO)/bench
	$(PIPE) bench --clips-only --clips 2000 --work $(DEMO)/bench
	/usr/bin/python3 Tests/Bench/side_by_side.py --pipe $(PIPE) --floor $(FLOOR) --threads $(THREADS) \
	  --audio $(DEMO)/bench/audio-200 --large $(DEMO)/bench/audio-2000 --work $(DEMO)/bench/side-by-side \
	  --pairs $(PAIRS) --python-pairs $(PYTHON_PAIRS) --python python3
	OPENBLAS_NUM_THREADS=1 $(PIPE) bench --clips 200 --threads $(THREADS) --work $(DEMO)/bench
	OPENBLAS_NUM_THREADS=1 $(PIPE) bench --scale-out --pipeline pipelines/ingest.yaml --clips 128 --threads $(THREADS) --reduce-shards 10000 --work $(DEMO)/bench
	$(PIPE) bench-stream --work $(DEMO)/bench-stream --shards 8 --rows 512 --readers 1,2
	/usr/bin/python3 Tests/Bench/python_stream.py $(DEMO)/bench-stream/store --rounds 3 --pipe $(PIPE)
	$(PIPE) bench-train --work $(DEMO)/bench-train
	@if python3 -c "import numpy, scipy" 2>/dev/null; then OPENBLAS_NUM_THREADS=1 python3 Tests/Bench/python_augment.py; \
	else echo "augmentation references skipped (numpy and scipy needed)"; fi
	@# The three paper pipelines on their synthetic corpora vs their references, alternating runs.
	@if python3 -c "import librosa, soundfile, h5py, scipy" 2>/dev/null; then \
	  OPENBLAS_NUM_THREADS=1 python3 Tests/Bench/python_paper_pipelines.py --pipe $(PIPE) --work $(DEMO)/bench-papers --threads $(THREADS); \
	else echo "paper-pipeline references skipped (librosa, soundfile, h5py, scipy needed)"; fi

clean:
	rm -rf .build $(DEMO)
