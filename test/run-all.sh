#!/usr/bin/env bash
# `npm test`: every test phase kadm is released on. The unit and integration suites run on the
# machine's Node (the default, Kafka's default release) and again under the newest Node 24 pinned
# in test/setup/node-versions, with vitest itself on that Node so every `process.execPath`
# (the tests run bin/run.js with it) is Node 24; the integration suite runs once more against
# Kafka 3.9. Last, test/flag-coverage.ts checks that the integration tests ran every command and
# flag. Each phase has a header; all phases run, and the exit code is non-zero if any failed.
set -euo pipefail
cd "$(dirname "$0")/.."

header() { printf '\n== %s ==\n' "$*"; }

header "tools, build, Node builds"
bash test/setup/ensure-tools.sh
npm run build
node22_bin="$(bash test/setup/node.sh 22)"
node24_bin="$(bash test/setup/node.sh 24)"
# Tests that run kadm on every tested Node (test/helpers/node.ts) find the other builds here.
export KADM_TEST_NODE22="$node22_bin/node" KADM_TEST_NODE24="$node24_bin/node"

failed=()
phase() {
  local name="$1"; shift
  header "$name"
  if "$@"; then return 0; fi
  failed+=("$name")
}

# The release the suite starts when KADM_TEST_KAFKA_VERSION is unset, named as src/local/versions.ts names it.
default_kafka="Kafka ${KADM_TEST_KAFKA_VERSION:-$(npx --no-install tsx -e "import('./src/local/versions.ts').then((m) => console.log(m.DEFAULT_KAFKA_VERSION))")}"
node20="Node $(node --version)"
node24="Node $("$KADM_TEST_NODE24" --version)"
vitest=node_modules/vitest/vitest.mjs

# Every kadm command line the tests run is recorded here (src/main.ts), for the last phase.
export KADM_RECORD_ARGV="$PWD/.kadm-test/argv.jsonl"
mkdir -p .kadm-test && rm -f "$KADM_RECORD_ARGV"

# Each vitest phase also writes a JSON report: on failure, the end of the log lists what failed.
reports=.kadm-test/reports
rm -rf "$reports" && mkdir -p "$reports"
report() { printf -- '--reporter=default --reporter=json --outputFile.json=%s/%s.json' "$reports" "$1"; }

phase "unit + integration, $node20, $default_kafka" node "$vitest" run $(report node20)
phase "integration, $node20, Kafka 3.9.2" env KADM_TEST_KAFKA_VERSION=3.9.2 node "$vitest" run --project integration $(report kafka-3.9.2)
phase "unit + integration, $node24, $default_kafka" env PATH="$node24_bin:$PATH" "$KADM_TEST_NODE24" "$vitest" run $(report node24)
phase "every command and flag is run by an integration test" npx --no-install tsx test/flag-coverage.ts "$KADM_RECORD_ARGV"

if [ "${#failed[@]}" -gt 0 ]; then
  header "what failed"
  npx --no-install tsx test/failures.ts "$reports/node20.json" "$reports/kafka-3.9.2.json" "$reports/node24.json" || true
  header "FAILED: $(IFS=';'; echo "${failed[*]}" | sed 's/;/; /g')"
  exit 1
fi
header "all phases passed"
