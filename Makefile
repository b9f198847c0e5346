# ngx_http_glossary_module: compiler CLI, nginx dynamic module, tests.
#
#   make            build build/glossaryc and build/ngx_http_glossary_module.so
#   make run        install what is missing, build, compile data/, serve it
#                   on 127.0.0.1:8080 (foreground; Ctrl-C stops it)
#   make test       install what is missing, build, run the whole suite
#   make bench      the side-by-side benchmark (t/bench/README.md)
#   make deb        Debian packages of the module and glossaryc, in build/
#   make test-deb   build them, install them into this machine's nginx,
#                   serve a glossary through it, remove them again
#
# The module is built against Debian's nginx through the nginx-dev build
# tree (/usr/share/nginx/src), copied into build/ so that nothing outside
# the checkout is written.

SHELL        := /bin/bash
CC           ?= cc
BUILD        := build
NGINX_SRC    ?= /usr/share/nginx/src
NGINX_BIN    ?= /usr/sbin/nginx

# dict-foldoc: the real glossary of t/085-real-glossary.t (FOLDOC, GFDL)
PACKAGES     := nginx nginx-dev libyajl-dev zlib1g-dev libxxhash-dev libdeflate-dev \
                libpcre2-dev libssl-dev perl make gcc \
                chromium chromium-driver dict-foldoc

# Satisfied by a command on the PATH, whichever package brought it (a
# machine may carry its own Node.js with npm, which Debian's npm conflicts
# with): command=package[,package...]
COMMAND_PACKAGES := node=nodejs npm=npm java=default-jre-headless

WARN         := -Wall -Wextra -Werror
CFLAGS       ?= -O2 -g
OUR_CFLAGS   := $(WARN) -std=gnu11 -D_GNU_SOURCE
LIBS         := -lyajl -ldeflate -lxxhash -pthread

# src/blob: the format, its reader and the router, shared and free of
# nginx; src/compiler: glossaryc; src/module: the nginx module.  Each side
# sees the shared headers and its own, never the other side's.
BLOB_SRCS    := $(wildcard src/blob/*.c)
BLOB_HDRS    := $(wildcard src/blob/*.h)
BLOB_INC     := -Isrc/blob
CLI_SRCS     := $(wildcard src/compiler/*.c) $(BLOB_SRCS)
CLI_HDRS     := $(wildcard src/compiler/*.h) $(BLOB_HDRS)
CLI_INC      := $(BLOB_INC) -Isrc/compiler
MOD_SRCS     := $(wildcard src/module/*.c) $(BLOB_SRCS)
MOD_HDRS     := $(wildcard src/module/*.h) $(BLOB_HDRS)

MODULE       := $(BUILD)/ngx_http_glossary_module.so
CLI          := $(BUILD)/glossaryc
BLOB         := $(BUILD)/site.glossary
DATA         := $(shell find data -type f 2>/dev/null | sort)

# The C tests of the blob reader, one program per concern (t/blob/test_*.c)
# on shared helpers, and the writer of the nginx tests' blobs (pages_blob);
# the .t files run what is built here.
TEST_BLOB_PROGS := header records lazy chunks large autolink search
TEST_BLOBS      := $(addprefix $(BUILD)/test_blob_,$(TEST_BLOB_PROGS))
TEST_BLOB_LIB   := t/blob/tb.c t/blob/tb_lazy.c t/blob/make_blob.c
TEST_BLOB_HDRS  := t/blob/tb.h t/blob/make_blob.h $(BLOB_HDRS)
PAGES_BLOB      := $(BUILD)/pages_blob
TEST_PROGS      := $(TEST_BLOBS) $(PAGES_BLOB) $(BUILD)/reseal $(BUILD)/timeit
SAN_CFLAGS      := -g -O1 -fsanitize=address,undefined \
                   -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CC         ?= clang
FUZZ_CFLAGS     := -g -O1 -fsanitize=fuzzer,address,undefined

.PHONY: all deps run test bench clean test-blob test-progs fuzz \
        fuzz-regressions deb test-deb \
        test-asan valgrind

all: $(CLI) $(MODULE)

# Installs only what is missing; apt-get update runs once, and only then.
deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	    dpkg -s $$p 2>/dev/null | grep -q '^Status: install ok installed' \
	        || missing="$$missing $$p"; \
	done; \
	for cp in $(COMMAND_PACKAGES); do \
	    command -v $${cp%%=*} >/dev/null 2>&1 \
	        || missing="$$missing $$(echo $${cp#*=} | tr , ' ')"; \
	done; \
	if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    export DEBIAN_FRONTEND=noninteractive; \
	    mkdir -p $(BUILD); \
	    if [ ! -e $(BUILD)/.apt-updated ]; then \
	        apt-get update -qq && touch $(BUILD)/.apt-updated \
	            || { echo "apt-get update failed" >&2; exit 1; }; \
	    fi; \
	    apt-get install -y -qq $$missing >/dev/null \
	        || { echo "apt-get install failed:$$missing" >&2; exit 1; }; \
	fi

$(BUILD):
	mkdir -p $@

$(CLI): $(CLI_SRCS) $(CLI_HDRS) | $(BUILD)
	$(CC) $(CFLAGS) $(OUR_CFLAGS) $(CLI_INC) -o $@ $(CLI_SRCS) $(LIBS)

# nginx's configure runs once per build tree; "make modules" rebuilds the
# module when a source or header listed in config changes.
$(BUILD)/nginx/Makefile: config | $(BUILD)
	rm -rf $(BUILD)/nginx-src $(BUILD)/nginx
	cp -r $(NGINX_SRC) $(BUILD)/nginx-src
	cd $(BUILD)/nginx-src && . ./conf_flags && ./configure \
	    --with-cc-opt="$(CFLAGS) -fPIC $(NGX_EXTRA_CC_OPT)" \
	    --with-ld-opt="-fPIC $(NGX_EXTRA_LD_OPT)" \
	    "$${NGX_CONF_FLAGS[@]}" \
	    --add-dynamic-module=$(CURDIR) \
	    --builddir=$(CURDIR)/$(BUILD)/nginx > $(CURDIR)/$(BUILD)/configure.log \
	    || { tail -20 $(CURDIR)/$(BUILD)/configure.log; exit 1; }

$(MODULE): $(BUILD)/nginx/Makefile $(MOD_SRCS) $(MOD_HDRS)
	$(MAKE) -s -C $(BUILD)/nginx-src -f $(CURDIR)/$(BUILD)/nginx/Makefile \
	    modules
	cp $(BUILD)/nginx/ngx_http_glossary_module.so $@.tmp
	mv -f $@.tmp $@     # a new file: a running nginx keeps the old mapping

# make run serves the HTML pages under /pages/: their canonical links and
# the sitemap need that absolute base.
RUN_BASE_URL ?= http://127.0.0.1:8080/pages/

$(BLOB): $(CLI) $(DATA)
	$(CLI) build --quiet --base-url $(RUN_BASE_URL) -o $@ data

run: deps all $(BLOB)
	@echo "serving data/ on 127.0.0.1:8080: JSON under /glossary/, pages under /pages/"
	@echo "try: curl -s 127.0.0.1:8080/glossary/hardware-software-co-design"
	@echo "     or open http://127.0.0.1:8080/pages/ in a browser"
	mkdir -p $(BUILD)/run/logs
	$(NGINX_BIN) -p $(CURDIR)/$(BUILD)/run -c $(CURDIR)/conf/run.conf \
	    -e $(CURDIR)/$(BUILD)/run/logs/error.log \
	    -g "daemon off; load_module $(CURDIR)/$(MODULE);"

test: deps all test-progs t/js/node_modules
	GLOSSARY_BUILD=$(CURDIR)/$(BUILD) prove -r t/

# Node packages of the tests (devalue for the payload round trip, the Nu
# HTML Checker), exactly as locked; without npm those tests skip.
t/js/node_modules: t/js/package.json t/js/package-lock.json
	@if command -v npm >/dev/null; then \
	    npm ci --prefix t/js --ignore-scripts --no-audit --no-fund \
	        && touch $@; \
	else \
	    echo "npm not found: the Node and Nu HTML Checker tests skip"; \
	fi

test-progs: $(TEST_PROGS)

$(BUILD)/test_blob_%: t/blob/test_%.c $(TEST_BLOB_LIB) $(BLOB_SRCS) \
    $(TEST_BLOB_HDRS) | $(BUILD)
	$(CC) $(CFLAGS) $(OUR_CFLAGS) $(BLOB_INC) -o $@ $< $(TEST_BLOB_LIB) \
	    $(BLOB_SRCS) -lxxhash

# reseal FILE: a blob's checksum written anew after a test changed a byte;
# timeit: the peak memory of a command (t/bench/timeit.c, also the bench's)
$(BUILD)/reseal: t/blob/reseal.c $(BLOB_SRCS) $(BLOB_HDRS) | $(BUILD)
	$(CC) $(CFLAGS) $(OUR_CFLAGS) $(BLOB_INC) -o $@ t/blob/reseal.c \
	    $(BLOB_SRCS) -lxxhash

$(BUILD)/timeit: t/bench/timeit.c | $(BUILD)
	$(CC) $(CFLAGS) $(OUR_CFLAGS) -o $@ t/bench/timeit.c

$(PAGES_BLOB): t/blob/pages_blob.c t/blob/make_blob.c $(BLOB_SRCS) \
    $(TEST_BLOB_HDRS) | $(BUILD)
	$(CC) $(CFLAGS) $(OUR_CFLAGS) $(BLOB_INC) -o $@ t/blob/pages_blob.c \
	    t/blob/make_blob.c $(BLOB_SRCS) -lxxhash

test-blob: $(TEST_BLOBS)
	GLOSSARY_BUILD=$(CURDIR)/$(BUILD) prove -v t/005-blob.t

# libFuzzer targets (clang): FUZZ_TIME seconds each over the seed corpus,
# then every saved regression input.
FUZZ_TIME ?= 60

$(BUILD)/fuzz_blob: t/fuzz/fuzz_blob.c $(BLOB_SRCS) $(BLOB_HDRS) | $(BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(OUR_CFLAGS) $(BLOB_INC) -o $@ \
	    t/fuzz/fuzz_blob.c $(BLOB_SRCS) -lxxhash

$(BUILD)/fuzz_route: t/fuzz/fuzz_route.c t/blob/make_blob.c t/blob/make_blob.h \
    $(BLOB_SRCS) $(BLOB_HDRS) | $(BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(OUR_CFLAGS) $(BLOB_INC) -It/blob -o $@ \
	    t/fuzz/fuzz_route.c t/blob/make_blob.c $(BLOB_SRCS) -lxxhash

# the reader and what it stands on: the model, messages and allocation
FUZZ_INPUT_SRCS := src/compiler/glossary_input.c src/compiler/glossary_model.c \
                   src/compiler/glossaryc_common.c

$(BUILD)/fuzz_input: t/fuzz/fuzz_input.c $(FUZZ_INPUT_SRCS) \
    $(BLOB_SRCS) $(CLI_HDRS) | $(BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(OUR_CFLAGS) $(CLI_INC) -o $@ \
	    t/fuzz/fuzz_input.c $(FUZZ_INPUT_SRCS) $(BLOB_SRCS) \
	    -lyajl -lxxhash

FUZZ_TARGETS := blob route input autolink search

fuzz: fuzz-regressions
	set -o pipefail; for t in $(FUZZ_TARGETS); do \
	    mkdir -p $(BUILD)/corpus/$$t && \
	    $(BUILD)/fuzz_$$t -max_total_time=$(FUZZ_TIME) \
	        -artifact_prefix=$(BUILD)/ $(BUILD)/corpus/$$t \
	        t/fuzz/corpus/$$t 2>&1 | tail -n 3 || exit 1; \
	done

fuzz-regressions: $(addprefix $(BUILD)/fuzz_,$(FUZZ_TARGETS))
	for t in $(FUZZ_TARGETS); do \
	    [ -d t/fuzz/regressions/$$t ] || continue; \
	    for f in t/fuzz/regressions/$$t/*; do \
	        $(BUILD)/fuzz_$$t $$f || exit 1; \
	    done; \
	done

# The whole suite against a compiler, module and blob test built with
# AddressSanitizer and UndefinedBehaviorSanitizer (gcc) in $(BUILD)/asan;
# Debian's nginx loads the module with gcc's libasan preloaded.  Any
# report is fatal: an ASan report is also written under $(ASAN_REPORTS)
# (any file there fails the target); UBSan aborts the process (a compiler
# test fails, a worker "exited on signal 6" fails its block).
ASAN_BUILD   := $(BUILD)/asan
ASAN_REPORTS := $(CURDIR)/$(ASAN_BUILD)/reports
ASAN_CFLAGS  := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
                -fno-sanitize-recover=undefined
ASAN_OPTS    := log_path=$(ASAN_REPORTS)/asan:abort_on_error=1
UBSAN_OPTS   := halt_on_error=1:abort_on_error=1:print_stacktrace=1

test-asan: deps
	$(MAKE) BUILD=$(ASAN_BUILD) CC=gcc CFLAGS="$(ASAN_CFLAGS)" \
	    NGX_EXTRA_LD_OPT="-fsanitize=address,undefined" \
	    all test-progs
	rm -rf $(ASAN_REPORTS) && mkdir -p $(ASAN_REPORTS)
	GLOSSARY_BUILD=$(CURDIR)/$(ASAN_BUILD) \
	ASAN_OPTIONS=$(ASAN_OPTS):detect_leaks=1 UBSAN_OPTIONS=$(UBSAN_OPTS) \
	TEST_GLOSSARY_NGINX_ENV="LD_PRELOAD=$$(gcc -print-file-name=libasan.so) \
	    ASAN_OPTIONS=$(ASAN_OPTS):detect_leaks=0 \
	    UBSAN_OPTIONS=$(UBSAN_OPTS)" \
	    prove -r t/; rc=$$?; \
	if [ -n "$$(ls -A $(ASAN_REPORTS))" ]; then \
	    echo "sanitizer reports in $(ASAN_REPORTS):"; \
	    head -n 40 $(ASAN_REPORTS)/*; exit 1; \
	fi; \
	exit $$rc

# The compiler under valgrind over data/ and every valid test corpus:
# no error, no definite leak.
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite

valgrind: $(CLI)
	rm -rf $(BUILD)/valgrind && mkdir -p $(BUILD)/valgrind
	$(VALGRIND) $(CLI) build -q -o $(BUILD)/valgrind/data.glossary data
	$(VALGRIND) $(CLI) build -q --autolink --autolink-accents \
	    -o $(BUILD)/valgrind/linked.glossary data
	$(VALGRIND) $(CLI) verify $(BUILD)/valgrind/data.glossary
	$(VALGRIND) $(CLI) info $(BUILD)/valgrind/data.glossary >/dev/null
	$(VALGRIND) $(CLI) get $(BUILD)/valgrind/data.glossary \
	    hardware-software-co-design related >/dev/null
	for f in data/* t/data/hostile/valid/*; do \
	    [ -f "$$f" ] || continue; \
	    $(VALGRIND) $(CLI) build -q -o $(BUILD)/valgrind/one.glossary \
	        "$$f" || exit 1; \
	done
	for f in t/data/hostile/invalid/*; do \
	    [ -f "$$f" ] || continue; \
	    $(VALGRIND) $(CLI) build -q -o $(BUILD)/valgrind/bad.glossary \
	        "$$f" 2>/dev/null; [ $$? -ne 99 ] || exit 1; \
	done

# Debian packages, built by Debian's own tooling for nginx modules
# (dh-sequence-nginx) from a copy of the sources in $(DEB_DIR), so that
# debian/'s build output never lands in the checkout.  The .deb files are
# moved to $(BUILD).
DEB_DIR      := $(BUILD)/deb
DEB_SRC      := $(DEB_DIR)/ngx-http-glossary
DEB_PACKAGES := dpkg-dev debhelper nginx-dev libyajl-dev zlib1g-dev libdeflate-dev \
                libxxhash-dev gcc make

deb: | $(BUILD)
	$(MAKE) deps PACKAGES="$(DEB_PACKAGES)"
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_SRC)
	rm -f $(BUILD)/*.deb
	cp -r config Makefile src data debian $(DEB_SRC)/
	cd $(DEB_SRC) && dpkg-buildpackage -us -uc -b > ../build.log 2>&1 \
	    || { tail -n 30 ../build.log; exit 1; }
	mv $(DEB_DIR)/*.deb $(BUILD)/
	@ls -1 $(BUILD)/*.deb

# Installs the packages with apt-get, so it changes this machine: meant
# for CI and throw-away hosts.  Not part of "make test".
test-deb: deb
	GLOSSARY_BUILD=$(CURDIR)/$(BUILD) TEST_GLOSSARY_DEB=1 prove t/090-deb.t

# Benchmarks are not part of "make test": bounded, loopback only, minutes.
# The search engine's relevance check reads WordNet's nouns (wordnet-base).
bench: deps all $(BUILD)/fts_tool
	$(MAKE) deps PACKAGES="wordnet-base"
	t/bench/run

# ---------------------------------------------------------------------------
# Autolink engine (issue 16): the automaton image and the streaming HTML
# rewriter (src/blob/glossary_autolink.*, nginx-free, no library), the
# builder (src/compiler/glossary_autolink_build.*, libutf8proc's Unicode
# data at compile time), their C tests, fuzz target and benchmark.
# src/blob/AUTOLINK.md describes them.

PACKAGES      += libutf8proc-dev python3-html5lib
DEB_PACKAGES  += libutf8proc-dev
LIBS          += -lutf8proc

AUTOLINK_SRCS := src/blob/glossary_autolink.c \
                 src/compiler/glossary_autolink_build.c
AUTOLINK_HDRS := src/blob/glossary_autolink.h \
                 src/compiler/glossary_autolink_build.h
TEST_AUTOLINK := $(BUILD)/test_autolink

.PHONY: test-autolink bench-autolink

$(TEST_AUTOLINK): t/autolink/test_autolink.c $(AUTOLINK_SRCS) \
    $(AUTOLINK_HDRS) | $(BUILD)
	$(CC) $(CFLAGS) $(OUR_CFLAGS) $(CLI_INC) -o $@ \
	    t/autolink/test_autolink.c $(AUTOLINK_SRCS) -lutf8proc

test: $(TEST_AUTOLINK)

test-autolink: $(TEST_AUTOLINK)
	$(TEST_AUTOLINK) --html5 /usr/bin/python3 t/autolink/html5_same_tree.py

# make test-asan runs t/110 on a sanitized copy
$(ASAN_BUILD)/test_autolink: t/autolink/test_autolink.c $(AUTOLINK_SRCS) \
    $(AUTOLINK_HDRS)
	mkdir -p $(ASAN_BUILD)
	gcc $(ASAN_CFLAGS) $(OUR_CFLAGS) $(CLI_INC) -o $@ \
	    t/autolink/test_autolink.c $(AUTOLINK_SRCS) -lutf8proc

test-asan: $(ASAN_BUILD)/test_autolink

$(BUILD)/fuzz_autolink: t/fuzz/fuzz_autolink.c $(AUTOLINK_SRCS) \
    $(AUTOLINK_HDRS) | $(BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(OUR_CFLAGS) $(CLI_INC) -o $@ \
	    t/fuzz/fuzz_autolink.c $(AUTOLINK_SRCS) -lutf8proc

# The engine's own figures (t/bench/README-autolink.md): MB/s per core,
# bytes per pattern byte, build time; a minute or two, no network.
AUTOLINK_BENCH := $(BUILD)/autolink_bench

$(AUTOLINK_BENCH): t/bench/autolink_bench.c $(AUTOLINK_SRCS) \
    $(AUTOLINK_HDRS) | $(BUILD)
	$(CC) -O2 -g $(OUR_CFLAGS) $(CLI_INC) -o $@ \
	    t/bench/autolink_bench.c $(AUTOLINK_SRCS) -lutf8proc

$(BUILD)/autolink-gen: t/bench/gen.c | $(BUILD)
	$(CC) -O2 $(OUR_CFLAGS) -o $@ t/bench/gen.c

bench-autolink: deps $(AUTOLINK_BENCH) $(BUILD)/autolink-gen
	$(AUTOLINK_BENCH) -g $(BUILD)/autolink-gen -d $(BUILD)/bench-autolink \
	    $(AUTOLINK_BENCH_ARGS)

# ---------------------------------------------------------------------------

# ---- Full-text search (issue 17) ---------------------------------------
# The search engine, nginx-free: the FTS image's reader and query engine
# (src/blob/glossary_fts*.c), its writer (src/compiler/glossary_fts_build.c),
# their C tests (t/fts/test_fts.c, run by t/130-search-engine.t), a command
# line tool over glossary data (relevance and speed harnesses), and the
# libFuzzer target.  make bench-search: relevance and speed at 100,000 terms.

FTS_SRCS     := src/blob/glossary_fts.c src/blob/glossary_fts_query.c \
                src/blob/glossary_fold.c src/blob/glossary_blob.c \
                src/blob/glossary_autolink.c
FTS_WRITER   := src/compiler/glossary_fts_build.c
FTS_HDRS     := src/blob/glossary_fts.h src/blob/glossary_fold.h \
                src/blob/glossary_blob.h src/compiler/glossary_fts_build.h
TEST_FTS     := $(BUILD)/test_fts
FTS_TOOL     := $(BUILD)/fts_tool
FTS_WRAP     := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc

.PHONY: test-fts bench-search

$(TEST_FTS): t/fts/test_fts.c $(FTS_SRCS) $(FTS_WRITER) $(FTS_HDRS) | $(BUILD)
	$(CC) $(CFLAGS) $(OUR_CFLAGS) $(CLI_INC) -o $@ t/fts/test_fts.c \
	    $(FTS_SRCS) $(FTS_WRITER) -lxxhash $(FTS_WRAP)

$(FTS_TOOL): t/fts/fts_tool.c $(FTS_SRCS) $(FTS_WRITER) $(FTS_HDRS) \
    $(FUZZ_INPUT_SRCS) $(CLI_HDRS) | $(BUILD)
	$(CC) $(CFLAGS) $(OUR_CFLAGS) $(CLI_INC) -o $@ t/fts/fts_tool.c \
	    $(FTS_SRCS) $(FTS_WRITER) $(FUZZ_INPUT_SRCS) \
	    -lyajl -lxxhash

test: $(TEST_FTS) $(FTS_TOOL)

test-fts: $(TEST_FTS)
	$(TEST_FTS)

# Relevance (t/bench/relevance: the engine against SQLite FTS5 and
# Pagefind, over data/, 20,000 generated terms and WordNet's nouns) and
# speed (t/bench/search-speed: 100,000 generated terms); minutes.
bench-search: $(FTS_TOOL)
	$(MAKE) deps PACKAGES="wordnet-base"
	t/bench/relevance --pagefind --tool $(FTS_TOOL)
	t/bench/search-speed --tool $(FTS_TOOL)

$(BUILD)/fuzz_search: t/fuzz/fuzz_search.c $(FTS_SRCS) $(FTS_WRITER) \
    $(FTS_HDRS) | $(BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(OUR_CFLAGS) $(CLI_INC) -o $@ \
	    t/fuzz/fuzz_search.c $(FTS_SRCS) $(FTS_WRITER) -lxxhash

# ---- end of full-text search --------------------------------------------

clean:
	rm -rf $(BUILD)
