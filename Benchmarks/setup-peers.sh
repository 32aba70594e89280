#!/usr/bin/env bash
# Installs the peer engines and tools of the side-by-side suite (Benchmarks/run). Idempotent:
# anything already present at the pinned version is left alone, so re-running it is cheap.
# Needs root (apt-get) and the package registries (Debian, PyPI); run from anywhere:
#
#   sudo Benchmarks/setup-peers.sh        # or as root
#
# What goes where, and why:
#   - tantivy, bm25s, PyStemmer: pip, into the `python3` first on PATH (pyenv's here), the one
#     Benchmarks/run runs with. Versions pinned to those the published results were measured with.
#   - SQLite FTS5: Python's own sqlite3 module; checked, not installed (it must have FTS5 compiled in).
#   - Xapian: Debian's python3-xapian, which installs into the SYSTEM python (/usr/bin/python3),
#     not pyenv's; Benchmarks/run therefore starts peers/peer_xapian.py with /usr/bin/python3.
#   - Lucene: Debian's liblucene8-java (core, analyzers-common, queryparser jars in /usr/share/java),
#     driven by peers/lucene/LucenePeer.java, which peers/peer_lucene.sh compiles with javac on
#     first use. Needs a JDK (javac); JDK 17 is what was used. (Pyserini/Anserini would need
#     JDK 21 and Maven Central, which these machines cannot reach.)
#   - hyperfine (cold CLI cross-check) and valgrind (instruction counts): Debian packages.
set -euo pipefail

TANTIVY_VERSION=0.27.0
BM25S_VERSION=0.3.16
PYSTEMMER_VERSION=3.1.0
PYTHON="${PYTHON:-python3}"

say() { printf '== %s\n' "$*"; }

# Debian packages: install only the missing ones (apt-get update once, only if needed).
debs=(python3-xapian liblucene8-java default-jdk-headless hyperfine valgrind)
missing=()
for deb in "${debs[@]}"; do
    # A JDK already on PATH (any vendor) is enough for the Lucene peer.
    if [ "$deb" = default-jdk-headless ] && command -v javac >/dev/null; then continue; fi
    dpkg-query -W -f='${Status}' "$deb" 2>/dev/null | grep -q "install ok installed" || missing+=("$deb")
done
if [ "${#missing[@]}" -gt 0 ]; then
    say "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
else
    say "Debian packages present: ${debs[*]}"
fi

# Python packages, pinned. `pip install` of an already-satisfied pin does nothing.
say "pip install into $("$PYTHON" -c 'import sys; print(sys.executable)')"
"$PYTHON" -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
    "tantivy==$TANTIVY_VERSION" "bm25s==$BM25S_VERSION" "PyStemmer==$PYSTEMMER_VERSION"

# Checks: each peer as Benchmarks/run will start it.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
status=0
check() {
    local name="$1"; shift
    if version="$("$@" version 2>&1 | tail -1)" && [ -n "$version" ]; then
        printf '   %-12s %s\n' "$name" "$version"
    else
        printf '   %-12s NOT AVAILABLE: %s\n' "$name" "$version"
        status=1
    fi
}
say "peers"
check tantivy "$PYTHON" "$here/peers/peer_tantivy.py"
check bm25s "$PYTHON" "$here/peers/peer_bm25s.py"
check sqlite-fts5 "$PYTHON" "$here/peers/peer_sqlite.py"   # fails if this sqlite3 lacks FTS5
check xapian /usr/bin/python3 "$here/peers/peer_xapian.py"
check lucene "$here/peers/peer_lucene.sh"                   # compiles LucenePeer.java once
say "tools"
printf '   %-12s %s\n' hyperfine "$(hyperfine --version 2>/dev/null || echo missing)"
printf '   %-12s %s\n' valgrind "$(valgrind --version 2>/dev/null || echo missing)"
exit $status
