/**
 * A minimal ustar writer: directories and regular files, which is all an image made from
 * a binary and its libraries needs. `docker import` takes the archive as the image's root
 * file system. Pure: entries in, bytes out.
 */
export interface TarEntry {
  /** Path inside the archive, without a leading slash; directories may end in "/". */
  path: string;
  type: "file" | "dir";
  /** Permission bits, e.g. 0o755. */
  mode: number;
  /** File contents (files only). */
  data?: Buffer;
}

const BLOCK = 512;

function octal(value: number, width: number): string {
  // width - 1 digits and a NUL, as ustar wants.
  return value.toString(8).padStart(width - 1, "0") + "\0";
}

/** ustar splits a long path into prefix (155) + "/" + name (100). */
function splitPath(path: string): { name: string; prefix: string } {
  if (Buffer.byteLength(path) <= 100) return { name: path, prefix: "" };
  for (let i = path.lastIndexOf("/"); i > 0; i = path.lastIndexOf("/", i - 1)) {
    const prefix = path.slice(0, i);
    const name = path.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(name) <= 100 && name) return { name, prefix };
  }
  throw new Error(`Path too long for a tar header: ${path}`);
}

export function tarHeader(entry: TarEntry, mtime: number): Buffer {
  const header = Buffer.alloc(BLOCK, 0);
  const path = entry.path.replace(/^\/+/, "") + (entry.type === "dir" && !entry.path.endsWith("/") ? "/" : "");
  const { name, prefix } = splitPath(path);
  const size = entry.type === "file" ? (entry.data?.length ?? 0) : 0;
  header.write(name, 0, 100, "utf8");
  header.write(octal(entry.mode & 0o7777, 8), 100, "ascii");
  header.write(octal(0, 8), 108, "ascii"); // uid
  header.write(octal(0, 8), 116, "ascii"); // gid
  header.write(octal(size, 12), 124, "ascii");
  header.write(octal(mtime, 12), 136, "ascii");
  header.write("        ", 148, "ascii"); // checksum field counts as spaces while summing
  header.write(entry.type === "dir" ? "5" : "0", 156, "ascii");
  header.write("ustar\0", 257, "ascii");
  header.write("00", 263, "ascii");
  header.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(octal(sum, 7) + " ", 148, "ascii");
  return header;
}

/** The archive: each header, each file padded to a block, then two zero blocks. */
export function tarArchive(entries: readonly TarEntry[], mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    parts.push(tarHeader(entry, mtime));
    if (entry.type === "file" && entry.data?.length) {
      parts.push(entry.data);
      const pad = (BLOCK - (entry.data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad, 0));
    }
  }
  parts.push(Buffer.alloc(2 * BLOCK, 0));
  return Buffer.concat(parts);
}
