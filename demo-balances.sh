#!/usr/bin/env bash
# The second process of the "past one machine" demo: rebuilds the ledger's balances from the Kafka
# topic that `./demo.sh --kafka HOST:PORT` publishes to.
#   ./demo-balances.sh --bootstrap HOST:PORT [--topic ledger-events] [--follow]
# Prints "account balance" lines and a total; --follow keeps printing them as events arrive.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
module="$root/wal-jakarta-ee-demo"
if [ -z "${DEMO_SKIP_BUILD:-}" ]; then
  echo "building (./mvnw -q -B install -DskipTests -pl wal-jakarta-ee-demo -am) ..." >&2
  (cd "$root" && ./mvnw -q -B install -DskipTests -pl wal-jakarta-ee-demo -am)
fi
classpath="$module/target/classes:$(cat "$module/target/embedded.classpath")"
exec java ${JAVA_OPTS:-} -cp "$classpath" dev.noriwal.demo.embedded.LedgerBalances "$@"
