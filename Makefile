# Thin wrapper over meson/ninja for the two README commands.
BUILD      ?= build
CHECKBUILD ?= build-check
LISTEN     ?= 127.0.0.1:8080
DB         ?= sqlite:var/sportello.db

.PHONY: all deps build demo check clean

all: build

deps:
	@scripts/install-deps

build: deps
	@[ -f $(BUILD)/build.ninja ] || meson setup $(BUILD) --buildtype=debugoptimized
	@ninja -C $(BUILD)

demo: build
	@scripts/demo "$(DB)" "$(LISTEN)"

check: deps
	@scripts/check

clean:
	rm -rf $(BUILD) $(CHECKBUILD)
