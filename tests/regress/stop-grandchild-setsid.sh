#!/bin/bash
# stop kills a grandchild that called setsid (leaving the process group).
FORKER_ARGS="--setsid" exec bash "$(dirname "$0")/stop-grandchild.sh"
