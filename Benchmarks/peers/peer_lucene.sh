#!/usr/bin/env bash
# Lucene peer: compiles LucenePeer.java against Debian's Lucene 8 jars (liblucene8-java) on first
# use, into the scratch folder (never into the repo), then runs it with the common contract:
#   peer_lucene.sh build --corpus C --index DIR
#   peer_lucene.sh query --index DIR --queries Q --k K [--warmup W] [--repeat R] [--run F] [--latency F]
# Exits 3 with a reason when Lucene cannot run here (no jars or no JDK).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jars=/usr/share/java
classpath=""
for name in lucene-core lucene-analyzers-common; do
    jar="$(ls "$jars/$name"-8*.jar 2>/dev/null | head -1 || true)"
    if [ -z "$jar" ]; then
        echo "lucene: not run - $jars/$name-8*.jar missing (apt-get install liblucene8-java)" >&2
        exit 3
    fi
    classpath="$classpath:$jar"
done
if ! command -v javac >/dev/null; then
    echo "lucene: not run - no javac (a JDK 11+ is needed)" >&2
    exit 3
fi
classes="${MEDSEARCH_BENCH_WORK:-/tmp/medsearch-bench}/lucene-classes"
if [ ! -f "$classes/LucenePeer.class" ] || [ "$here/lucene/LucenePeer.java" -nt "$classes/LucenePeer.class" ]; then
    mkdir -p "$classes"
    javac -nowarn -d "$classes" -cp "${classpath#:}" "$here/lucene/LucenePeer.java"
fi
# A fixed 2 GiB heap ceiling, so the JVM's peak RSS does not depend on the machine's RAM.
# exec: the measured process (peak RSS, threads) is the JVM itself, not this shell.
exec java -Xmx2g -cp "$classes$classpath" LucenePeer "$@"
