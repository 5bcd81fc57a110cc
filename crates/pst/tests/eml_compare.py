"""Compares .eml files the way an independent reader sees them (Python's email module).

Usage: eml_compare.py ORIGINAL OUTPUT [ORIGINAL OUTPUT ...]
Prints one JSON object per pair: {"file", "diffs": [...]} with the aspects that differ:
subject, From/To/Cc addresses, plain-text body, HTML body, attachment names and the
SHA-256 of each attachment's decoded bytes.
"""
import email
import email.policy
import email.utils
import hashlib
import json
import re
import sys


def norm_text(s):
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in s.split("\n")).strip()


def part_text(part):
    try:
        return part.get_content()
    except Exception:
        raw = part.get_payload(decode=True) or b""
        return raw.decode(part.get_content_charset() or "utf-8", "replace")


def leaves(part):
    """The leaf parts, not descending into attached messages (they are attachments)."""
    if part.get_content_maintype() == "multipart" and isinstance(part.get_payload(), list):
        for sub in part.get_payload():
            yield from leaves(sub)
    else:
        yield part


def summary(path):
    with open(path, "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.default)
    out = {}
    out["subject"] = re.sub(r"\s+", " ", str(msg.get("subject", "") or "")).strip()
    for field in ("from", "to", "cc"):
        vals = [str(v) for v in msg.get_all(field, [])]
        out[field] = sorted(a.lower() for _, a in email.utils.getaddresses(vals) if a)
    text, html, atts = [], [], []
    for part in leaves(msg):
        ctype = part.get_content_type()
        name = part.get_filename()
        disp = part.get_content_disposition()
        if ctype == "message/rfc822" or isinstance(part.get_payload(), list):
            atts.append((name or "", "message"))
            continue
        if disp != "attachment" and name is None and ctype == "text/plain":
            text.append(norm_text(part_text(part)))
        elif disp != "attachment" and name is None and ctype == "text/html":
            html.append(norm_text(part_text(part)))
        else:
            data = part.get_payload(decode=True) or b""
            atts.append((name or "", hashlib.sha256(data).hexdigest()))
    out["text"] = "\n".join(t for t in text if t)
    out["html"] = "\n".join(h for h in html if h)
    out["attachments"] = sorted(atts)
    return out


def main(args):
    for orig, new in zip(args[0::2], args[1::2]):
        a, b = summary(orig), summary(new)
        diffs = [k for k in a if a[k] != b[k]]
        detail = {k: [a[k], b[k]] for k in diffs}
        print(json.dumps({"file": orig, "diffs": diffs, "detail": detail}, default=str)[:4000])


if __name__ == "__main__":
    main(sys.argv[1:])
