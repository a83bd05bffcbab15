# Top-level driver for the s390x Protected Virtualization series.
#
#   ./configure      fetch and merge the base tree (once)
#   make             copy edited files into the merged tree, build
#   make check       every test, ending in "N passed, N failed"
#
# SPDX-License-Identifier: GPL-2.0-or-later

# The project's top: this file's directory, also when a build directory's
# own Makefile includes it ('make -C DIR').
TOP := $(patsubst %/,%,$(dir $(realpath $(lastword $(MAKEFILE_LIST)))))
BUILD ?= $(TOP)/build
QEMU_BUILD := $(BUILD)/qemu
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

-include $(BUILD)/config.mak

# A variable given on the command line (BUILD=DIR) is for this make alone.
# GNU make would hand it, through MAKEFLAGS and the environment, to every
# make started below this one: QEMU's, and the ones the build-machinery
# tests run on their scratch copies of the project, which would then work
# on DIR.  The scripts get the build directory as an argument instead.
MAKEOVERRIDES :=
unexport BUILD JOBS

# Files whose change needs a fresh merge (the others are just copied in).
MERGE_INPUTS := $(TOP)/configure $(TOP)/MAINTAINERS $(TOP)/patches/series \
                $(wildcard $(TOP)/patches/*.patch)

.PHONY: all build overlay check checkpatch demo fuzz bench clean distclean help

all: build

help:
	@echo "make             build qemu-system-s390x and the s390-ccw BIOS"
	@echo "make check       run every test"
	@echo "make demo        boot the bundled default guest"
	@echo "make checkpatch  run QEMU's checkpatch.pl on our files and patches"
	@echo "make fuzz        run the PV fuzzers for FUZZ_SECONDS each [$(FUZZ_SECONDS)]"
	@echo "make bench       run the benchmarks in bench/ (figures, not tests)"
	@echo "make clean       clean the QEMU build (keeps the merged tree)"
	@echo "make distclean   remove build/ and build-asan/ (keeps the download cache)"
	@echo "make BUILD=DIR ...  the same in the build directory DIR"
	@echo "                    (./configure --build-dir=DIR); or make -C DIR ..."

# No merged tree yet, or the patches changed: (re)run ./configure with the
# options it was last given.
$(BUILD)/config.stamp: $(MERGE_INPUTS)
	@echo "  CONFIG  ./configure --build-dir=$(BUILD) $(CONFIGURE_ARGS)"
	@cd $(TOP) && ./configure --build-dir=$(BUILD) $(CONFIGURE_ARGS)

overlay: $(BUILD)/config.stamp
	@$(TOP)/build-aux/overlay.sh $(TOP) $(BUILD)/src | sed 's/^/  COPY    /'

build: overlay
	@$(MAKE) --no-print-directory -C $(QEMU_BUILD) -j$(JOBS) all
	@# A QEMU run from its build directory finds firmware in qemu-bundle/.
	@d=$(QEMU_BUILD)/qemu-bundle$$(sed -n \
	    's/^#define CONFIG_QEMU_DATADIR "\(.*\)"/\1/p' $(QEMU_BUILD)/config-host.h); \
	mkdir -p $$d; \
	for f in s390-ccw.img; do \
	    src=$(QEMU_BUILD)/pc-bios/s390-ccw/$$f; \
	    if [ ! -f $$src ]; then \
	        echo "make: $$f was not built (s390x-linux-gnu-gcc missing?)" >&2; \
	        exit 1; \
	    fi; \
	    cmp -s $$src $$d/$$f || cp $$src $$d/$$f; \
	done
	@# The Secure Execution boot loaders, for s390-pvimg
	@$(MAKE) --no-print-directory -s -f $(BUILD)/src/pc-bios/s390-pv/Makefile \
	    SRC=$(BUILD)/src/pc-bios/s390-pv OUT=$(QEMU_BUILD)/pc-bios/s390-pv
	@d=$(QEMU_BUILD)/qemu-bundle$$(sed -n \
	    's/^#define CONFIG_QEMU_DATADIR "\(.*\)"/\1/p' $(QEMU_BUILD)/config-host.h); \
	for f in s390-pv-stage3a.bin s390-pv-stage3b.bin; do \
	    cmp -s $(QEMU_BUILD)/pc-bios/s390-pv/$$f $$d/$$f || \
	        cp $(QEMU_BUILD)/pc-bios/s390-pv/$$f $$d/$$f; \
	done

check: build
	@$(TOP)/build-aux/check.sh $(TOP) $(BUILD)

demo: build
	@$(TOP)/build-aux/demo.sh $(TOP) $(BUILD)

# The fuzzers, each for FUZZ_SECONDS (make check runs them briefly)
FUZZ_SECONDS ?= 600
fuzz: build
	@$(MAKE) --no-print-directory -C $(QEMU_BUILD) -j$(JOBS) \
	    tests/unit/test-s390x-pv-sw
	@$(TOP)/build-aux/fuzz.sh $(TOP) $(BUILD) time $(FUZZ_SECONDS)

# Benchmarks: each prints our figures next to the anchor measured in the
# same run
bench: build
	@for b in $(TOP)/bench/*.sh; do \
	    echo "== $$(basename $$b)"; BUILD=$(BUILD) $$b || exit 1; \
	done

checkpatch: overlay
	@$(TOP)/build-aux/checkpatch.sh $(TOP) $(BUILD)/src

clean:
	@if [ -d $(QEMU_BUILD) ]; then $(MAKE) -C $(QEMU_BUILD) clean; fi

distclean:
	rm -rf $(BUILD) $(BUILD)-asan
