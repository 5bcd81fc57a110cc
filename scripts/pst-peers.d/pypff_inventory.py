#!/usr/bin/env python3
"""pypff's (libpff-python) inventory of a PST/OST for scripts/pst-peers: one JSON document of the
shape crates/pst/examples/pst_inventory.rs prints (see scripts/pst-peers for the fields).

Read as a pypff user reads a file: get_root_folder(), sub_folders, sub_messages (contents only),
subject / plain_text_body, and the record entries PR_MESSAGE_CLASS (0x001A),
PR_SENDER_EMAIL_ADDRESS (0x0C1F), each recipient's PR_EMAIL_ADDRESS (0x3003), each attachment's
data (read_buffer) hashed; an embedded message (PR_ATTACH_METHOD 5) only as present: pypff
does not open embedded messages.
Usage: pypff_inventory.py FILE
"""
import hashlib
import json
import sys

import pypff

NID_TYPE_SEARCH_FOLDER = 0x03
MAX_DEPTH = 64
ATTACH_EMBEDDED_MSG = 5
ATTACH_OLE = 6


def record_set_string(rs, entry_type):
    """The string record entry of `entry_type` in one record set."""
    for j in range(rs.number_of_entries):
        e = rs.get_entry(j)
        if e.entry_type == entry_type and e.value_type in (0x001E, 0x001F):
            try:
                return e.data_as_string
            except Exception:
                return None
    return None


def entry_string(obj, entry_type):
    """The first record entry of `entry_type` (any string type) of a record-set object."""
    try:
        for i in range(obj.number_of_record_sets):
            v = record_set_string(obj.get_record_set(i), entry_type)
            if v is not None:
                return v
    except Exception:
        return None
    return None


def entry_int(obj, entry_type):
    """The first 32-bit integer record entry of `entry_type`."""
    try:
        for i in range(obj.number_of_record_sets):
            rs = obj.get_record_set(i)
            for j in range(rs.number_of_entries):
                e = rs.get_entry(j)
                if e.entry_type == entry_type and e.value_type == 0x0003:
                    return e.data_as_integer
    except Exception:
        return None
    return None


def body(m):
    try:
        b = m.plain_text_body if hasattr(m, "plain_text_body") else None
    except Exception:
        return None
    if b is None:
        return None
    return b.decode("utf-8", "replace") if isinstance(b, bytes) else b


def message(m, folder, errors):
    recipients = []
    try:
        rec = getattr(m, "recipients", None)
        if rec is not None:
            # One record set per recipient row.
            for k in range(rec.number_of_record_sets):
                recipients.append(record_set_string(rec.get_record_set(k), 0x3003))
    except Exception as e:
        errors.append("recipients of %r: %s" % (getattr(m, "subject", None), e))
    attachments = []
    for k in range(getattr(m, "number_of_attachments", 0)):
        try:
            a = m.get_attachment(k)
            name = a.long_filename or entry_string(a, 0x3704) or entry_string(a, 0x3001)
            if entry_int(a, 0x3705) == ATTACH_EMBEDDED_MSG:
                # pypff does not open embedded messages: only their presence is known.
                attachments.append({"name": name, "embedded": None})
                continue
            size = a.size or 0
            data = a.read_buffer(size) if size else b""
            attachments.append({"name": name, "sha256": hashlib.sha256(data).hexdigest(),
                                "ole": entry_int(a, 0x3705) == ATTACH_OLE})
        except Exception as e:
            errors.append("attachment %d of %r: %s" % (k, getattr(m, "subject", None), e))
    return {
        "folder": folder,
        "class": entry_string(m, 0x001A),
        # Items pypff does not type as messages (free/busy data, …) have no .subject.
        "subject": m.subject if hasattr(m, "subject") else entry_string(m, 0x0037),
        "sender": entry_string(m, 0x0C1F),
        "recipients": recipients,
        "body": body(m),
        "attachments": attachments,
    }


def main():
    out = {"reader": "pypff", "version": pypff.get_version(), "folders": [], "search_folders": 0,
           "items": [], "errors": []}
    f = pypff.file()
    try:
        f.open(sys.argv[1])
        stack = [(f.get_root_folder(), None)]
        while stack:
            folder, parent = stack.pop()
            path = [] if parent is None else parent + [folder.name or ""]
            n = folder.number_of_sub_messages
            out["folders"].append({"path": path, "items": n})
            for i in range(n):
                try:
                    out["items"].append(message(folder.get_sub_message(i), path, out["errors"]))
                except Exception as e:
                    out["errors"].append("message %d of %s: %s" % (i, "/".join(path), e))
            subs = []
            for i in range(folder.number_of_sub_folders):
                try:
                    sub = folder.get_sub_folder(i)
                except Exception as e:
                    out["errors"].append("sub-folder %d of %s: %s" % (i, "/".join(path), e))
                    continue
                if sub.identifier & 0x1F == NID_TYPE_SEARCH_FOLDER:
                    out["search_folders"] += 1
                elif len(path) < MAX_DEPTH:
                    subs.append((sub, path))
            stack.extend(reversed(subs))
        f.close()
    except Exception as e:
        out["fatal"] = str(e)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
