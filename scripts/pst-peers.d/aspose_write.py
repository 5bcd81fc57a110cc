#!/usr/bin/env python3
"""The peer writer of `oxmapi bench pst-write`: Aspose.Email for Python via .NET (PyPI
aspose-email-for-python-via-net, installed by scripts/make-big-pst.sh) writes COUNT small
messages (a BODY_BYTES body, one recipient) into a new Unicode PST, as the bench's own small
messages are. Prints the seconds the write loop took (without the .NET start-up).

Usage: aspose_write.py OUT.pst COUNT BODY_BYTES
"""
import sys
import time

from aspose.email.mapi import MapiMessage
from aspose.email.storage.pst import FileFormatVersion, PersonalStorage


def main():
    out, count, body_bytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    body = ("0123456789abcdef" * (body_bytes // 16 + 1))[:body_bytes]
    start = time.time()
    pst = PersonalStorage.create(out, FileFormatVersion.UNICODE)
    folder = pst.root_folder.add_sub_folder("Bench")
    for i in range(count):
        m = MapiMessage("sender@example.test", "bench@example.test", f"bench pst-write message {i}", body)
        folder.add_message(m)
    del folder, pst
    print(f"{time.time() - start:.3f}")


if __name__ == "__main__":
    main()
