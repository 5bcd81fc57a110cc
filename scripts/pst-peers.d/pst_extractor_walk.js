#!/usr/bin/env node
// Walks a PST with the npm package pst-extractor the way `oxmapi bench pst` walks it with
// oxmapi: every folder, every message of every folder, and of each message what the package
// exposes of it: subject, text, HTML and RTF bodies, every recipient's address, every
// attachment's data read whole (an embedded message: its subject and bodies).
//
// Prints one JSON line: {"folders","items","errors","bytes","walk_ms","peak_rss_kib"}.
// Usage: node pst_extractor_walk.js FILE   (with pst-extractor on NODE_PATH)
'use strict';
const fs = require('fs');
const { PSTFile } = require('pst-extractor');

const acc = { folders: 0, items: 0, errors: 0, bytes: 0 };
const len = (s) => (s ? s.length : 0);

function readMessage(m) {
  acc.bytes += len(m.subject) + len(m.body) + len(m.bodyHTML) + len(m.bodyRTF);
  for (let i = 0; i < m.numberOfRecipients; i++) {
    const r = m.getRecipient(i);
    if (r) acc.bytes += len(r.emailAddress);
  }
  for (let i = 0; i < m.numberOfAttachments; i++) {
    try {
      const a = m.getAttachment(i);
      acc.bytes += len(a.longFilename || a.filename);
      const embedded = a.embeddedPSTMessage;
      if (embedded) {
        acc.bytes += len(embedded.subject) + len(embedded.body) + len(embedded.bodyHTML);
        continue;
      }
      const stream = a.fileInputStream;
      if (stream) {
        const buf = Buffer.alloc(65536);
        let n;
        while ((n = stream.readBlock(buf)) > 0) acc.bytes += n;
      }
    } catch (e) {
      acc.errors++;
    }
  }
}

function walk(folder, depth) {
  if (depth > 64) return;
  if (folder.contentCount > 0) {
    for (;;) {
      let m;
      try {
        m = folder.getNextChild();
      } catch (e) {
        acc.errors++;
        break;
      }
      if (!m) break;
      try {
        readMessage(m);
        acc.items++;
      } catch (e) {
        acc.errors++;
      }
    }
  }
  if (folder.hasSubfolders) {
    for (const sub of folder.getSubFolders()) {
      acc.folders++;
      walk(sub, depth + 1);
    }
  }
}

const start = process.hrtime.bigint();
try {
  const pst = new PSTFile(process.argv[2]);
  walk(pst.getRootFolder(), 0);
} catch (e) {
  acc.fatal = String(e && e.message ? e.message : e);
}
acc.walk_ms = Number(process.hrtime.bigint() - start) / 1e6;
try {
  const m = /VmHWM:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  if (m) acc.peak_rss_kib = Number(m[1]);
} catch (e) {
  // no /proc
}
console.log(JSON.stringify(acc));
