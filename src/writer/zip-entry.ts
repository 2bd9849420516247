/**
 * The .img inside a .zip (NVIDIA ships `jp62-orin-nano-sd-card-image.zip`
 * holding `sd-blob.img`), streamed without unpacking it to disk: etcher-sdk's
 * zip source does the same (reference §3.1). The central directory gives the
 * entry's real sizes and CRC even when the local header defers them to a data
 * descriptor (a zip written to a pipe), and its zip64 fields for images over
 * 4 GiB; the local header then gives where the data starts. The bytes are
 * inflated (or passed through, when stored) and checked against the CRC-32 at
 * the end.
 */
import { crc32, createInflateRaw } from 'node:zlib';
import { pipeline } from 'node:stream';
import type { FileHandle } from 'node:fs/promises';
import { WorkbenchFailure } from '../shared/errors.ts';

export interface ZipImageEntry {
  name: string;
  /** 0: stored, 8: deflated. */
  method: 0 | 8;
  compressedSize: number;
  size: number;
  crc32: number;
  dataOffset: number;
}

const endOfDirectorySignature = 0x06054b50;
const zip64LocatorSignature = 0x07064b50;
const zip64EndSignature = 0x06064b50;
const directoryEntrySignature = 0x02014b50;
const localHeaderSignature = 0x04034b50;
/** A central directory larger than this is not an SD image's zip. */
const maxDirectoryBytes = 64 * 1024 * 1024;
const saturated32 = 0xffffffff;

interface DirectoryEntry {
  name: string;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** The first `.img` in the zip, ready to stream. */
export async function findZipImage(file: FileHandle, fileSize: number): Promise<ZipImageEntry> {
  const directory = await locateDirectory(file, fileSize);
  const entries = readDirectory(await readAt(file, directory.offset, directory.size), directory.entries);
  const image = entries.find((entry) => isImageName(entry.name));
  if (image === undefined) {
    const names = entries.slice(0, 5).map((entry) => entry.name);
    throw new WorkbenchFailure(
      'unsupported',
      `The zip holds no .img file (it holds ${names.join(', ') || 'nothing'}): unpack it and choose the image inside.`,
    );
  }
  if ((image.flags & 1) !== 0)
    throw new WorkbenchFailure('unsupported', `${image.name} is encrypted in the zip: unpack it with its password first.`);
  if (image.method !== 0 && image.method !== 8) {
    throw new WorkbenchFailure(
      'unsupported',
      `${image.name} is compressed with zip method ${image.method}; the workbench reads deflate and stored entries. Unpack it, or use the .img.xz.`,
    );
  }
  const local = await readAt(file, image.localHeaderOffset, 30);
  if (local.readUInt32LE(0) !== localHeaderSignature) throw damaged('the entry does not start where the directory says');
  const dataOffset = image.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  if (dataOffset + image.compressedSize > fileSize) throw damaged('it is shorter than its directory says (a cut-off download?)');
  return { name: image.name, method: image.method, compressedSize: image.compressedSize, size: image.size, crc32: image.crc32, dataOffset };
}

/** The entry's bytes, uncompressed; throws at the end when its size or CRC-32 is not what the zip says. */
export async function* zipImageChunks(file: FileHandle, entry: ZipImageEntry): AsyncGenerator<Buffer> {
  if (entry.compressedSize === 0 && entry.size === 0) return;
  const raw = file.createReadStream({
    start: entry.dataOffset,
    end: entry.dataOffset + entry.compressedSize - 1,
    autoClose: false,
    highWaterMark: 1 << 20,
  });
  const bytes = entry.method === 8 ? pipeline(raw, createInflateRaw({ chunkSize: 1 << 20 }), () => undefined) : raw;
  let crc = 0;
  let size = 0;
  try {
    for await (const chunk of bytes as AsyncIterable<Buffer>) {
      crc = crc32(chunk, crc);
      size += chunk.length;
      if (size > entry.size) throw damaged(`${entry.name} inflates to more than the ${entry.size} bytes the zip says`);
      yield chunk;
    }
  } catch (error) {
    if (error instanceof WorkbenchFailure) throw error;
    throw damaged(`${entry.name} does not inflate: ${(error as Error).message}`);
  } finally {
    raw.destroy();
  }
  if (size !== entry.size || crc >>> 0 !== entry.crc32) throw damaged(`${entry.name} does not match its CRC-32 (the zip is damaged)`);
}

function isImageName(name: string): boolean {
  const base = name.split('/').pop() ?? '';
  return name.toLowerCase().endsWith('.img') && !name.startsWith('__MACOSX/') && !base.startsWith('._');
}

/** The end-of-central-directory record, and its zip64 record when the 32-bit fields are saturated. */
async function locateDirectory(file: FileHandle, fileSize: number): Promise<{ offset: number; size: number; entries: number }> {
  const tailLength = Math.min(fileSize, 22 + 0xffff + 20);
  const tail = await readAt(file, fileSize - tailLength, tailLength);
  let at = -1;
  for (let index = tail.length - 22; index >= 0; index -= 1) {
    if (tail.readUInt32LE(index) === endOfDirectorySignature) {
      at = index;
      break;
    }
  }
  if (at < 0) throw damaged('it has no central directory (a cut-off download?)');
  let entries = tail.readUInt16LE(at + 10);
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  const hasLocator = at >= 20 && tail.readUInt32LE(at - 20) === zip64LocatorSignature;
  if (hasLocator) {
    const record = await readAt(file, safeNumber(tail.readBigUInt64LE(at - 20 + 8)), 56);
    if (record.readUInt32LE(0) !== zip64EndSignature) throw damaged('its zip64 directory record is missing');
    entries = safeNumber(record.readBigUInt64LE(32));
    size = safeNumber(record.readBigUInt64LE(40));
    offset = safeNumber(record.readBigUInt64LE(48));
  }
  if (size > maxDirectoryBytes || offset + size > fileSize) throw damaged('its central directory is out of range');
  return { offset, size, entries };
}

function readDirectory(directory: Buffer, count: number): DirectoryEntry[] {
  const entries: DirectoryEntry[] = [];
  let at = 0;
  for (let index = 0; index < count && at + 46 <= directory.length; index += 1) {
    if (directory.readUInt32LE(at) !== directoryEntrySignature) throw damaged('its central directory is garbled');
    const flags = directory.readUInt16LE(at + 8);
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const nameBytes = directory.subarray(at + 46, at + 46 + nameLength);
    // Bit 11: the name is UTF-8; otherwise code page 437, close enough to Latin-1 for a file name shown to a person.
    const name = nameBytes.toString((flags & 0x800) !== 0 ? 'utf8' : 'latin1');
    const extra = directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    const sizes = withZip64(extra, {
      size: directory.readUInt32LE(at + 24),
      compressedSize: directory.readUInt32LE(at + 20),
      localHeaderOffset: directory.readUInt32LE(at + 42),
    });
    entries.push({ name, flags, method: directory.readUInt16LE(at + 10), crc32: directory.readUInt32LE(at + 16), ...sizes });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

type Sizes = { size: number; compressedSize: number; localHeaderOffset: number };

/** The zip64 extra field (id 1) holds, in this order, each 8-byte value whose 32-bit field is saturated. */
function withZip64(extra: Buffer, sizes: Sizes): Sizes {
  for (let at = 0; at + 4 <= extra.length;) {
    const id = extra.readUInt16LE(at);
    const length = extra.readUInt16LE(at + 2);
    if (id === 1) {
      const result = { ...sizes };
      let field = at + 4;
      for (const key of ['size', 'compressedSize', 'localHeaderOffset'] as const) {
        if (sizes[key] !== saturated32) continue;
        if (field + 8 > at + 4 + length) throw damaged('its zip64 field is too short');
        result[key] = safeNumber(extra.readBigUInt64LE(field));
        field += 8;
      }
      return result;
    }
    at += 4 + length;
  }
  return sizes;
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  if (bytesRead !== length) throw damaged('it ends early');
  return buffer;
}

function safeNumber(value: bigint): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw damaged('a size is out of range');
  return Number(value);
}

function damaged(why: string): WorkbenchFailure {
  return new WorkbenchFailure('corrupted', `The zip file is damaged: ${why}. Download it again.`);
}
