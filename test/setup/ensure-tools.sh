#!/usr/bin/env bash
# Installs what the integration tests compare kadm with, on a fresh machine:
# kcat, promtool (Debian's prometheus package) to check the metrics kadm writes, protoc
# (protobuf-compiler) to check the Protobuf records kadm writes, and the shells whose completion
# kadm's scripts are tried in (bash-completion, zsh, fish), from Debian's
# packages. Kafka's own jars are fetched by the test setup through mvn.
set -euo pipefail
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "error: $tool is needed to run Apache Kafka for the tests" >&2; exit 1; }
done
command -v openssl >/dev/null || { echo "error: openssl is needed to make certificates for the secured-broker tests" >&2; exit 1; }
missing=()
command -v kcat >/dev/null || missing+=(kcat)
command -v promtool >/dev/null || missing+=(prometheus)
[ -f /usr/share/bash-completion/bash_completion ] || missing+=(bash-completion)
command -v zsh >/dev/null || missing+=(zsh)
command -v fish >/dev/null || missing+=(fish)
command -v protoc >/dev/null || missing+=(protobuf-compiler)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
