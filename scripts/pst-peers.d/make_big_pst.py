#!/usr/bin/env python3
"""Writes a large Unicode PST for the PST read benchmark (BENCHMARKS.md, issue 18) from the
.msg files of the shared test data, with Aspose.Email for Python via .NET (PyPI
aspose-email-for-python-via-net) — the one PST writer installable here (see
scripts/make-big-pst.sh). Until oxmapi writes PST files itself.

The messages are the test data's MSG files (those of at most --max-source-bytes, so that the
file lands near 800 MB for 30,000 messages), added round-robin, --per-folder messages to a
folder ("Folder 00", "Folder 01", ... under the root). Without a licence Aspose runs in
evaluation mode: it adds "(Aspose.Email Evaluation)" to each subject and an evaluation notice
to each body; the structure (properties, recipients, attachments, embedded messages) is as in
the sources.

Usage: make_big_pst.py OUT.pst [--messages N] [--per-folder N] [--testdata DIR]
       [--max-source-bytes N]
"""
import argparse
import glob
import os
import sys
import time

from aspose.email.mapi import MapiMessage
from aspose.email.storage.pst import FileFormatVersion, PersonalStorage


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--messages", type=int, default=30000)
    ap.add_argument("--per-folder", type=int, default=1000)
    ap.add_argument("--testdata", default=os.environ.get("OXMAPI_TESTDATA", "../shared/testdata"))
    ap.add_argument("--max-source-bytes", type=int, default=96 * 1024)
    a = ap.parse_args()
    if os.path.exists(a.out):
        sys.exit(f"{a.out} exists; remove it first")
    sources = sorted(
        p
        for p in glob.glob(os.path.join(a.testdata, "**", "*.msg"), recursive=True)
        if os.path.getsize(p) <= a.max_source_bytes
    )
    messages = []
    for p in sources:
        try:
            messages.append(MapiMessage.load(p))
        except Exception as e:  # a few fuzzing samples are not loadable; they are left out
            print(f"left out {p}: {str(e).splitlines()[0]}", file=sys.stderr)
    if not messages:
        sys.exit(f"no loadable .msg file under {a.testdata}")
    print(f"{len(messages)} source messages of {len(sources)} files", file=sys.stderr)
    start = time.time()
    pst = PersonalStorage.create(a.out, FileFormatVersion.UNICODE)
    root = pst.root_folder
    folder = None
    for i in range(a.messages):
        if i % a.per_folder == 0:
            folder = root.add_sub_folder(f"Folder {i // a.per_folder:02d}")
        folder.add_message(messages[i % len(messages)])
        if (i + 1) % 1000 == 0:
            print(f"{i + 1} messages, {time.time() - start:.0f} s", file=sys.stderr)
    del folder, root, pst
    print(f"{a.out}: {a.messages} messages, {os.path.getsize(a.out)} bytes, {time.time() - start:.0f} s")


if __name__ == "__main__":
    main()
