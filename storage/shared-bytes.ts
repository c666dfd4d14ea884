/** Loading segment files into shared memory so worker threads can open the same bytes without copying. */
import fs from 'node:fs';

/** Reads a whole file into a SharedArrayBuffer-backed Uint8Array. */
export function readFileShared(path: string): Uint8Array {
  const fd = fs.openSync(path, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const out = new Uint8Array(new SharedArrayBuffer(size));
    let at = 0;
    while (at < size) {
      const n = fs.readSync(fd, out, at, size - at, at);
      if (n === 0) break;
      at += n;
    }
    return at === size ? out : out.subarray(0, at);
  } finally {
    fs.closeSync(fd);
  }
}

/** Copies bytes into a new SharedArrayBuffer-backed Uint8Array. */
export function toShared(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  out.set(bytes);
  return out;
}
