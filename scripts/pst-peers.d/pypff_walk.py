#!/usr/bin/env python3
"""Walks a PST with pypff (libpff-python) the way `oxmapi bench pst` walks it with oxmapi:
every folder, every message of every folder opened, every record (property) of every record
set read, recipients read, every attachment's data read whole (embedded items: their records).

Prints one JSON line: {"folders": N, "items": N, "errors": N, "walk_ms": F, "bytes": N,
"peak_rss_kib": N} (peak_rss_kib: this process's VmHWM, where /proc has it)
("folders" counts the sub-folders below the root, as SOURCES.md's pypff column does).
Usage: pypff_walk.py FILE
"""
import json
import sys
import time

import pypff


def read_records(obj, acc):
    for i in range(obj.number_of_record_sets):
        rs = obj.get_record_set(i)
        for j in range(rs.number_of_entries):
            data = rs.get_entry(j).data
            if data:
                acc["bytes"] += len(data)


def read_message(m, acc):
    read_records(m, acc)
    rec = m.recipients
    if rec is not None:
        read_records(rec, acc)
    for k in range(m.number_of_attachments):
        try:
            a = m.get_attachment(k)
            read_records(a, acc)
            size = a.size
            if size:
                acc["bytes"] += len(a.read_buffer(size))
            for s in range(a.number_of_sub_items):
                read_records(a.get_sub_item(s), acc)
        except Exception:  # one unreadable attachment does not stop the walk
            acc["errors"] += 1


def walk(folder, acc):
    for i in range(folder.number_of_sub_messages):
        try:
            read_message(folder.get_sub_message(i), acc)
            acc["items"] += 1
        except Exception:
            acc["errors"] += 1
    for i in range(folder.number_of_sub_folders):
        try:
            sub = folder.get_sub_folder(i)
        except Exception:
            acc["errors"] += 1
            continue
        acc["folders"] += 1
        walk(sub, acc)


def main():
    acc = {"folders": 0, "items": 0, "errors": 0, "bytes": 0}
    start = time.perf_counter()
    f = pypff.file()
    try:
        f.open(sys.argv[1])
        walk(f.get_root_folder(), acc)
        f.close()
    except Exception as e:
        acc["fatal"] = str(e)
    acc["walk_ms"] = (time.perf_counter() - start) * 1000.0
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    acc["peak_rss_kib"] = int(line.split()[1])
    except OSError:
        pass
    print(json.dumps(acc))


if __name__ == "__main__":
    main()
