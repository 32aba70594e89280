#!/bin/bash
# Extraction's instruction count against libxml2's parse-only floor, on the same pages:
# callgrind's inclusive count of ArticleExtractor.extract(html:) over all pages, and of
# ArticleExtractor.parseOnly(utf8:) in a second run. Reading and listing the files is outside
# both, so the ratio is the extractor's own. Instruction counts do not wobble with the load of a
# shared machine, unlike the wall times of `medsearch-bench extract`.
#   Benchmarks/extraction/instructions.sh PAGES_DIR [BENCH_BINARY]
set -euo pipefail
pages=${1:?usage: instructions.sh PAGES_DIR [BENCH_BINARY]}
here=$(cd "$(dirname "$0")/.." && pwd)
bench=${2:-$here/.build/release/medsearch-bench}
command -v valgrind >/dev/null || { echo "instructions.sh: valgrind is not installed (apt-get install -y valgrind)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
inclusive() {  # $1 = side (parse|extract), $2 = symbol pattern
    valgrind --tool=callgrind --callgrind-out-file="$work/$1.out" "$bench" extract "$pages" --only "$1" >/dev/null 2>"$work/$1.err" \
        || { tail -5 "$work/$1.err" >&2; exit 1; }
    callgrind_annotate --inclusive=yes "$work/$1.out" | grep -E "$2" | head -1 | awk '{gsub(",", "", $1); print $1}'
}
parse=$(inclusive parse 'ArticleExtractorV9parseOnly')
extract=$(inclusive extract 'ArticleExtractorV7extract4html')
python3 -c "
p, e = $parse, $extract
print(f'libxml2 parse only: {p/1e6:,.1f} M instructions')
print(f'extract:            {e/1e6:,.1f} M instructions ({(e-p)/1e6:,.1f} M on top of the parse)')
print(f'extract / parse-only throughput by instructions: {p/e:.3f}')"
