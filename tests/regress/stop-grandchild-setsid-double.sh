#!/bin/bash
# stop kills a grandchild that double-forked and called setsid: it is in
# neither the app's process group nor its process tree.
FORKER_ARGS="--setsid --double" exec bash "$(dirname "$0")/stop-grandchild.sh"
