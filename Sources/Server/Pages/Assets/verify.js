// Checks a listing's ledger events in the browser, trusting nothing the page says about them: each event's log
// entry is hashed here (RFC 9162 leaf hash), its inclusion path is followed up to a root, that root must be the
// signed checkpoint's, and the checkpoint's Ed25519 signature must verify under the node's verifier key
// (a C2SP signed note). Only then does an event read "verified in your browser".
"use strict";

(function () {
  const subtle = window.crypto && window.crypto.subtle;
  const encoder = new TextEncoder();

  function bytesFromBase64(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function bytesFromHex(text) {
    if (typeof text !== "string" || text.length % 2 !== 0 || /[^0-9a-f]/i.test(text)) throw new Error("not hexadecimal");
    const bytes = new Uint8Array(text.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.substr(2 * i, 2), 16);
    return bytes;
  }

  function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) { out.set(part, at); at += part.length; }
    return out;
  }

  function equal(a, b) {
    return a.length === b.length && a.every((byte, i) => byte === b[i]);
  }

  async function sha256(bytes) {
    return new Uint8Array(await subtle.digest("SHA-256", bytes));
  }

  // RFC 9162 section 2.1.3.2: the root an inclusion path leads to from a leaf.
  async function rootFromInclusion(index, size, leafHash, path) {
    if (index >= size) throw new Error("entry " + index + " is past the checkpoint's " + size + " entries");
    let fn = index, sn = size - 1, r = leafHash;
    for (const sibling of path) {
      if (sn === 0) throw new Error("the proof is longer than the tree is deep");
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(concat(Uint8Array.of(1), sibling, r));
        if (fn % 2 === 0) {
          while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); }
        }
      } else {
        r = await sha256(concat(Uint8Array.of(1), r, sibling));
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    if (sn !== 0) throw new Error("the proof is shorter than the tree is deep");
    return r;
  }

  // A verifier key "name+hash+base64(0x01 || public key)"; the hash must be the key's.
  async function parseVerifierKey(text) {
    const first = text.indexOf("+"), second = text.indexOf("+", first + 1);
    if (first <= 0 || second <= first) throw new Error("the verifier key is not name+hash+key");
    const name = text.slice(0, first), keyHash = bytesFromHex(text.slice(first + 1, second));
    const key = bytesFromBase64(text.slice(second + 1));
    if (key.length !== 33 || key[0] !== 1) throw new Error("the verifier key is not an Ed25519 key");
    const publicKey = key.slice(1);
    const expected = (await sha256(concat(encoder.encode(name + "\n"), Uint8Array.of(1), publicKey))).slice(0, 4);
    if (!equal(expected, keyHash)) throw new Error("the verifier key's hash does not match its key");
    return { name, keyHash, publicKey };
  }

  // A signed note: its text must carry a valid signature by the verifier key.
  async function openNote(note, verifier) {
    const split = note.lastIndexOf("\n\n");
    if (split < 0 || !note.endsWith("\n")) throw new Error("the checkpoint is not a signed note");
    const text = note.slice(0, split + 1);
    const lines = note.slice(split + 2, -1).split("\n");
    const key = await subtle.importKey("raw", verifier.publicKey, { name: "Ed25519" }, false, ["verify"]);
    for (const line of lines) {
      const prefix = "\u2014 " + verifier.name + " ";
      if (!line.startsWith(prefix)) continue;
      const signature = bytesFromBase64(line.slice(prefix.length));
      if (signature.length !== 68 || !equal(signature.slice(0, 4), verifier.keyHash)) continue;
      if (await subtle.verify({ name: "Ed25519" }, key, signature.slice(4), encoder.encode(text))) return text;
      throw new Error("the checkpoint's signature does not verify under the node's key");
    }
    throw new Error("the checkpoint carries no signature by the node's key");
  }

  function parseCheckpoint(text) {
    const lines = text.slice(0, -1).split("\n");
    if (lines.length < 3 || !/^[0-9]+$/.test(lines[1])) throw new Error("the checkpoint has no size");
    const root = bytesFromBase64(lines[2]);
    if (root.length !== 32) throw new Error("the checkpoint's root is not a SHA-256 hash");
    return { origin: lines[0], size: Number(lines[1]), root };
  }

  function sameFields(a, b) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => String(b[k]) === String(a[k]));
  }

  // One event: its entry hashes to its leaf, names the event shown, and leads up to the signed root.
  async function verifyEvent(event, entryText, checkpoint) {
    if (typeof entryText !== "string") throw new Error("the page carries no log entry for this event");
    const entry = bytesFromBase64(entryText);
    const leaf = await sha256(concat(Uint8Array.of(0), entry));
    if (hex(leaf) !== String(event.leaf_hash).toLowerCase()) throw new Error("the entry does not hash to the leaf shown");
    const parsed = JSON.parse(new TextDecoder().decode(entry));
    if (String(parsed.index) !== String(event.index)) throw new Error("the entry is not entry " + event.index);
    const named = (parsed.events || []).some((e) => e.contract === event.contract && e.name === event.name && sameFields(event.fields, e.fields || {}));
    if (!named) throw new Error("the entry does not record this event");
    const root = await rootFromInclusion(event.index, checkpoint.size, leaf, event.proof.map(bytesFromHex));
    if (!equal(root, checkpoint.root)) throw new Error("the inclusion proof does not lead to the checkpoint's root");
  }

  function mark(row, ok, text) {
    const cell = row.querySelector("td.verify");
    cell.textContent = text;
    cell.className = "verify " + (ok ? "verified" : "failed");
  }

  async function run() {
    const status = document.getElementById("verify-status");
    const data = JSON.parse(document.getElementById("provenance-data").textContent);
    const rows = Array.from(document.querySelectorAll("tr.event"));
    const setStatus = (ok, text) => { status.textContent = text; status.className = "status " + (ok ? "verified" : "failed"); };
    if (!subtle) { setStatus(false, "This page is not served over a secure connection, so the browser cannot check it."); return; }
    let checkpoint;
    try {
      const verifier = await parseVerifierKey(data.verifier_key);
      checkpoint = parseCheckpoint(await openNote(data.checkpoint, verifier));
    } catch (error) {
      rows.forEach((row) => mark(row, false, "not verified"));
      setStatus(false, "Not verified: " + error.message + ".");
      return;
    }
    let failures = 0, proved = 0;
    for (const row of rows) {
      const event = data.events[Number(row.dataset.position)];
      if (!event || !event.proof) continue;
      try {
        await verifyEvent(event, data.entries[String(event.index)], checkpoint);
        proved += 1;
        mark(row, true, "verified in your browser");
      } catch (error) {
        failures += 1;
        mark(row, false, "FAILED: " + error.message);
      }
    }
    if (failures > 0) setStatus(false, failures + " of " + (failures + proved) + " events failed their check: do not trust this page's provenance.");
    else setStatus(true, "All " + proved + " events verified in your browser against checkpoint " + checkpoint.size + " of " + checkpoint.origin + ", signed by the node's key.");
  }

  run().catch((error) => {
    const status = document.getElementById("verify-status");
    status.textContent = "Not verified: " + error.message;
    status.className = "status failed";
  });
})();
