#!/bin/bash
# The main job, as the README's demo command runs it on a fresh Debian 12
# machine as root: installs what is needed, builds alived, and runs the demo.
set -eu
cd "$(dirname "$0")"
./tests/deps.sh
if [ ! -x build/alived ]; then
	./autogen.sh > /dev/null
	mkdir -p build
	(cd build && ../configure > /dev/null && make -j"$(nproc)" > /dev/null)
fi
exec ./tests/demo/run.sh build
