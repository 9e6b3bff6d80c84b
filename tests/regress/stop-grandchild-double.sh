#!/bin/bash
# stop kills a grandchild double-forked (orphaned, reparented away from the app).
FORKER_ARGS="--double" exec bash "$(dirname "$0")/stop-grandchild.sh"
