#!/bin/sh
# A corpus folder that vanishes while `medsearch index` runs (not deterministic, so not in
# `swift test`): for several delays, build a 3,000-page corpus, start indexing, delete the corpus
# mid-run, and require a clean outcome: exit 0 (it finished first) or 2 with `medsearch: error:`
# / warnings naming the files, never a crash (status >= 128), and an index that `medsearch check`
# accepts whenever one was committed.
#   Fuzz/scripts/vanishing-corpus.sh [PATH_TO_MEDSEARCH]
set -u
bin=${1:-$(dirname "$0")/../../.build/debug/medsearch}
bin=$(readlink -f "$bin")
[ -x "$bin" ] || { echo "no medsearch binary at $bin (build first or pass its path)"; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
for delay in 0.01 0.05 0.1 0.2 0.4; do
    rm -rf "$work/Corpus" "$work/Index"
    mkdir -p "$work/Corpus/a" "$work/Corpus/b"
    i=0
    while [ $i -lt 1500 ]; do
        printf '<html><head><title>Page %s</title></head><body><article><h1>Page %s</h1><p>Radiologic technologist page %s with enough text to extract.</p></article></body></html>' $i $i $i > "$work/Corpus/a/p$i.html"
        cp "$work/Corpus/a/p$i.html" "$work/Corpus/b/p$i.html"
        i=$((i + 1))
    done
    (cd "$work" && "$bin" index --index Index Corpus >"$work/out" 2>"$work/err") &
    pid=$!
    sleep "$delay"
    rm -rf "$work/Corpus"
    wait $pid
    status=$?
    verdict=ok
    if [ $status -ge 128 ]; then verdict="CRASH (status $status)"; fi
    if [ $status -ne 0 ] && [ $status -ne 2 ]; then verdict="unexpected status $status"; fi
    if grep -v -e '^medsearch: ' -e '^added ' "$work/err" | grep -q .; then verdict="stderr line that is neither a diagnostic nor the summary"; fi
    if [ -f "$work/Index/manifest.json" ] && ! (cd "$work" && "$bin" check --index Index >/dev/null 2>&1); then verdict="committed index fails check"; fi
    echo "delay ${delay}s: exit $status, $(wc -l <"$work/err") stderr lines; last: $(tail -1 "$work/err" | cut -c1-110) -> $verdict"
    [ "$verdict" = ok ] || failures=$((failures + 1))
done
[ $failures -eq 0 ] && echo "vanishing corpus: all runs clean" || echo "vanishing corpus: $failures bad runs"
exit $failures
