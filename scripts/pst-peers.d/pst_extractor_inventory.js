#!/usr/bin/env node
// pst-extractor's (npm) inventory of a PST/OST for scripts/pst-peers: one JSON document of the
// shape crates/pst/examples/pst_inventory.rs prints (see scripts/pst-peers for the fields).
//
// Read as the package's README walks a file: getRootFolder(), getSubFolders() when
// hasSubfolders, getNextChild() while contentCount > 0 (so a folder whose PR_CONTENT_COUNT is
// wrong shows up as a difference: that is what users of the package see), and of each message:
// messageClass, subject, senderEmailAddress, body, every recipient's emailAddress, every
// attachment's data (fileInputStream) or embedded message (embeddedPSTMessage).
// Usage: node pst_extractor_inventory.js FILE   (pst-extractor on NODE_PATH)
'use strict';
const crypto = require('crypto');
const { PSTFile, PSTRecipient } = require('pst-extractor');

const NID_TYPE_SEARCH_FOLDER = 0x03;
const MAX_DEPTH = 64;
const ATTACH_EMBEDDED_MSG = 5;
const ATTACH_OLE = 6;
const out = { reader: 'pst-extractor', folders: [], search_folders: 0, items: [], errors: [] };
const str = (s) => (s === undefined || s === null ? null : s);

function message(m, folder, depth) {
  const recipients = [];
  const count = m.numberOfRecipients;
  // getRecipient(i) re-reads the whole recipient table on every call (quadratic: 28 s for 200
  // recipients): the table's rows are read once and made into the same PSTRecipient objects.
  const rows = count > 0 && m.recipientTable ? m.recipientTable.getItems() : [];
  for (let i = 0; i < count; i++) {
    try {
      const r = i < rows.length ? new PSTRecipient(m.pstFile, rows[i]) : m.getRecipient(i);
      recipients.push(r ? str(r.emailAddress) : null);
    } catch (e) {
      out.errors.push(`recipient ${i} of ${m.subject}: ${e.message || e}`);
    }
  }
  const attachments = [];
  for (let i = 0; i < m.numberOfAttachments; i++) {
    try {
      const a = m.getAttachment(i);
      const name = str(a.longFilename || a.filename || a.displayName);
      if (a.attachMethod === ATTACH_EMBEDDED_MSG) {
        // embeddedPSTMessage is null where the package cannot open it: then only its presence.
        const embedded = a.embeddedPSTMessage;
        attachments.push({ name, embedded: embedded && depth < MAX_DEPTH ? message(embedded, [], depth + 1) : null });
        continue;
      }
      if (a.attachMethod === ATTACH_OLE) {
        // fileInputStream gives the 8-byte PR_ATTACH_DATA_OBJ reference, not the object: the
        // data is unknown here (compared as "ole").
        attachments.push({ name, ole: true, unread: true });
        continue;
      }
      const hash = crypto.createHash('sha256');
      const stream = a.fileInputStream;
      if (stream) {
        const buf = Buffer.alloc(65536);
        let n;
        while ((n = stream.readBlock(buf)) > 0) hash.update(buf.subarray(0, n));
      }
      attachments.push({ name, sha256: hash.digest('hex') });
    } catch (e) {
      out.errors.push(`attachment ${i} of ${m.subject}: ${e.message || e}`);
    }
  }
  return {
    folder,
    class: str(m.messageClass),
    subject: str(m.subject),
    sender: str(m.senderEmailAddress),
    recipients,
    body: str(m.body),
    attachments,
  };
}

function walk(folder, path) {
  const before = out.items.length;
  if (folder.contentCount > 0) {
    for (;;) {
      let m;
      try {
        m = folder.getNextChild();
      } catch (e) {
        out.errors.push(`message of ${path.join('/')}: ${e.message || e}`);
        break;
      }
      if (!m) break;
      try {
        out.items.push(message(m, path, 0));
      } catch (e) {
        out.errors.push(`message of ${path.join('/')}: ${e.message || e}`);
      }
    }
  }
  out.folders.push({ path, items: out.items.length - before });
  if (folder.hasSubfolders && path.length < MAX_DEPTH) {
    for (const sub of folder.getSubFolders()) {
      if ((sub.descriptorNodeId.toNumber() & 0x1f) === NID_TYPE_SEARCH_FOLDER) {
        out.search_folders++;
        continue;
      }
      walk(sub, path.concat([sub.displayName]));
    }
  }
}

try {
  const pst = new PSTFile(process.argv[2]);
  walk(pst.getRootFolder(), []);
} catch (e) {
  out.fatal = String(e && e.message ? e.message : e);
}
console.log(JSON.stringify(out));
