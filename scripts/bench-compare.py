#!/usr/bin/env python3
"""Puts two `oxmapi --json bench …` documents side by side: one Markdown row per numeric figure
found in both, with the ratio B/A.

    scripts/bench-compare.py A.json B.json [--labels A_NAME B_NAME]

A figure is named by its path in the document; an element of a list of objects is named by its
first integer field and its `view` (`levels[sessions=256].execute_per_second`,
`sweep[messages=1000,view=delivery_time_desc].first_page_ms`), so runs with the same
parameters line up even when one of them skipped a level. Figures that are settings rather than
measurements (the server URL, core counts, the parameters echoed back) are left out.
"""

import json
import sys

# String fields that tell apart list elements with the same first integer (the views of one
# folder size in the sweep).
NAMES = {"view", "kind", "name"}

# Echoed parameters and identities, not measurements.
SKIP = {"server", "machine_cores", "hog_threads", "settle_seconds", "backend", "nodes"}


def flatten(node, path, out):
    if isinstance(node, bool) or node is None:
        return
    if isinstance(node, (int, float)):
        out[path] = node
    elif isinstance(node, dict):
        for k, v in node.items():
            if k in SKIP:
                continue
            flatten(v, f"{path}.{k}" if path else k, out)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            label = str(i)
            if isinstance(v, dict):
                first = next(((k, x) for k, x in v.items() if isinstance(x, int) and not isinstance(x, bool)), None)
                name = next(((k, x) for k, x in v.items() if k in NAMES and isinstance(x, str)), None)
                parts = [f"{p[0]}={p[1]}" for p in (first, name) if p]
                if parts:
                    label = ",".join(parts)
                    v = {k: x for k, x in v.items() if not first or k != first[0]}
            flatten(v, f"{path}[{label}]", out)


def number(x):
    if isinstance(x, float):
        return f"{x:,.3f}".rstrip("0").rstrip(".")
    return f"{x:,}"


def main(argv):
    labels = ["A", "B"]
    if "--labels" in argv:
        i = argv.index("--labels")
        labels = argv[i + 1 : i + 3]
        argv = argv[:i] + argv[i + 3 :]
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    a, b = {}, {}
    for doc, out in ((argv[0], a), (argv[1], b)):
        with open(doc) as f:
            flatten(json.load(f), "", out)
    print(f"| figure | {labels[0]} | {labels[1]} | {labels[1]} / {labels[0]} |")
    print("|---|---:|---:|---:|")
    for key, x in a.items():
        if key not in b:
            continue
        y = b[key]
        ratio = f"{y / x:.2f}" if x else "—"
        print(f"| {key} | {number(x)} | {number(y)} | {ratio} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
