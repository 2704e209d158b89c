# roam — one plain Makefile.
#   make          build bin/roam and the node daemons
#   make asan     the same with AddressSanitizer + UBSan, into build/asan
#   make demo     install what is missing, build, run the default demo
#   make test     install what is missing, build, run every test
#   make bench    benchmarks, figures next to their references
#   make fuzz     run every fuzz target for FUZZ_SECONDS each

CC      ?= cc
PKGS    := libnl-route-3.0 libnl-3.0 lua5.4 libpcap libcrypto
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN    := -Wall -Wextra -Wshadow -Wmissing-prototypes -Wno-unused-parameter -Wno-format-truncation
ifdef CI
WARN    += -Werror
endif
OPT     ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -Iharness -Inodes/common $(PKG_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lm -lpthread

B       ?= build/rel
BIN     ?= bin

HARNESS_SRC := $(filter-out harness/roam.c,$(wildcard harness/*.c harness/*/*.c))
COMMON_SRC  := $(wildcard nodes/common/*.c)
NODE_DIRS   := $(filter-out nodes/common,$(patsubst %/,%,$(sort $(dir $(wildcard nodes/*/*.c)))))
NODE_BINS   := $(patsubst nodes/%,$(BIN)/roam-%,$(NODE_DIRS))
UNIT_SRC    := $(wildcard tests/unit/test_*.c)
UNIT_BINS   := $(patsubst tests/unit/%.c,$(B)/tests/%,$(UNIT_SRC))

obj = $(patsubst %.c,$(B)/%.o,$(1))

all: $(BIN)/roam $(NODE_BINS)

deps:
	@sh scripts/deps.sh

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/libroam.a: $(call obj,$(HARNESS_SRC))
	@rm -f $@; ar rcs $@ $^
$(B)/libcommon.a: $(call obj,$(COMMON_SRC))
	@rm -f $@; ar rcs $@ $^

$(BIN)/roam: $(call obj,harness/roam.c) $(B)/libroam.a $(B)/libcommon.a
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

.SECONDARY:
.SECONDEXPANSION:
$(BIN)/roam-%: $$(call obj,$$(wildcard nodes/$$*/*.c)) $(B)/libcommon.a
	@mkdir -p $(BIN)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(B)/tests/%: $(call obj,tests/unit/%.c) $(B)/libroam.a $(B)/libcommon.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

units: $(UNIT_BINS)

BENCH_SRC  := $(wildcard bench/*.c)
BENCH_BINS := $(patsubst bench/%.c,$(B)/bench/%,$(BENCH_SRC))
$(B)/bench/%: $(call obj,bench/%.c) $(B)/libroam.a $(B)/libcommon.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)
benches: $(BENCH_BINS)

asan:
	$(MAKE) B=build/asan BIN=build/asan/bin OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
		LDFLAGS="-fsanitize=address,undefined" all units

demo: deps
	$(MAKE) -j$(JOBS) all
	@sh scripts/demo.sh

JOBS    ?= $(shell nproc 2>/dev/null || echo 2)

test:
	@sh scripts/deps.sh --test
	$(MAKE) -j$(JOBS) all benches
	$(MAKE) -j$(JOBS) asan
	@sh tests/run.sh

bench: deps
	$(MAKE) -j$(JOBS) all benches
	@sh bench/run.sh

FUZZ_SECONDS ?= 60
fuzz:
	@sh fuzz/run.sh $(FUZZ_SECONDS)

clean:
	rm -rf build bin

.PHONY: all deps asan units benches demo test bench fuzz clean
-include $(shell find build -name '*.d' 2>/dev/null)
