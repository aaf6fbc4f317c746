#!/usr/bin/env bash
# Runs the nori-wal ledger demo embedded (Weld SE + Jersey) on 127.0.0.1.
#   ./demo.sh [--port 8080] [--data ./data/nori-wal-demo]
# Builds what it needs first (the demo module and the modules it depends on).
# Stop with Ctrl-C; after `kill -9 <pid>` run it again to see the ledger recovered.
set -euo pipefail
root="$(cd "$(dirname "$0")" && pwd)"
module="$root/wal-jakarta-ee-demo"
# Relative --data paths are taken from where you run the script.
if [ -z "${DEMO_SKIP_BUILD:-}" ]; then
  echo "building (./mvnw -q -B install -DskipTests -pl wal-jakarta-ee-demo -am) ..." >&2
  (cd "$root" && ./mvnw -q -B install -DskipTests -pl wal-jakarta-ee-demo -am)
fi
classpath="$module/target/classes:$(cat "$module/target/embedded.classpath")"
exec java ${JAVA_OPTS:-} -cp "$classpath" dev.noriwal.demo.embedded.EmbeddedDemo "$@"
