#!/usr/bin/env bash
# Runs `medsearch extract --format text` on every page of a folder and writes the predictions as
# JSON ({id: {"articleBody": text}}) for score.py.
# usage: predict.sh MEDSEARCH_BINARY HTML_FOLDER OUTPUT.json
set -euo pipefail
binary=$1 folder=$2 output=$3
python3 - "$binary" "$folder" "$output" <<'PY'
import json, os, subprocess, sys
binary, folder, output = sys.argv[1:4]
result = {}
for name in sorted(os.listdir(folder)):
    if not name.endswith(".html"):
        continue
    run = subprocess.run([binary, "extract", "--format", "text", os.path.join(folder, name)],
                         capture_output=True)
    result[name[:-5]] = {"articleBody": run.stdout.decode("utf-8", "replace")}
json.dump(result, open(output, "w", encoding="utf-8"), ensure_ascii=False)
PY
