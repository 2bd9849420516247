/**
 * What kind of SD image a file is, from its first bytes (etcher-sdk reads the
 * magic too, reference §3.1), and the one warning Etcher-style tools cannot
 * give: an Orin Nano with old QSPI firmware does not boot a JetPack 6 card
 * (reference §2.8).
 */
import { WorkbenchFailure } from '../errors.ts';
import type { ImageFormat } from './contract.ts';

/** Bytes `imageFormatOf` looks at: an ISO 9660 volume descriptor sits at 32 KiB + 1. */
export const imageHeaderBytes = 0x8006;

const supported = 'Give a raw .img, an .img.xz or a .zip holding an .img.';

interface Signature {
  what: string;
  matches(bytes: Uint8Array): boolean;
  /** How to get a supported image from this one. */
  advice: string;
}

/** Formats balenaEtcher writes but this workbench does not (yet): refused with a way out, never written raw. */
const refused: Signature[] = [
  { what: 'gzip', matches: (bytes) => startsWith(bytes, [0x1f, 0x8b]), advice: 'Unpack it (gunzip) or recompress it with xz.' },
  { what: 'bzip2', matches: (bytes) => startsWith(bytes, [0x42, 0x5a, 0x68]), advice: 'Unpack it (bunzip2) or recompress it with xz.' },
  {
    what: '7-Zip',
    matches: (bytes) => startsWith(bytes, [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]),
    advice: 'Unpack it with 7z, then write the .img.',
  },
  {
    what: 'Zstandard',
    matches: (bytes) => startsWith(bytes, [0x28, 0xb5, 0x2f, 0xfd]),
    advice: 'Unpack it (unzstd) or recompress it with xz.',
  },
  { what: 'RAR', matches: (bytes) => startsWith(bytes, [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07]), advice: 'Unpack it, then write the .img.' },
  { what: 'tar', matches: (bytes) => asciiAt(bytes, 257, 'ustar'), advice: 'Unpack it (tar -xf), then write the .img inside.' },
  {
    what: 'ISO 9660 (an installer disc)',
    matches: (bytes) => asciiAt(bytes, 0x8001, 'CD001'),
    advice: 'Jetson boards boot SD card images, not installer ISOs: download the SD card image for your board.',
  },
];

const refusedExtensions: Record<string, string> = {
  gz: 'gzip',
  tgz: 'gzip',
  bz2: 'bzip2',
  '7z': '7-Zip',
  zst: 'Zstandard',
  rar: 'RAR',
  tar: 'tar',
  iso: 'ISO 9660 (an installer disc)',
  dmg: 'Apple disk image',
};

/** Why a name alone rules an image out (a URL, before downloading it), or null. */
export function imageNameRefusal(name: string): string | null {
  const named = refusedExtensions[extensionOf(name)];
  return named === undefined ? null : `${name} looks like a ${named} file, which the workbench does not write. ${supported}`;
}

/** The image's format from its name and first bytes (`imageHeaderBytes` of them, or the whole file if shorter). */
export function imageFormatOf(name: string, firstBytes: Uint8Array): ImageFormat {
  const extension = extensionOf(name);
  if (startsWith(firstBytes, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  if (startsWith(firstBytes, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  for (const signature of refused) {
    if (signature.matches(firstBytes)) throw unsupported(`${name} is a ${signature.what} file. ${signature.advice} ${supported}`);
  }
  const refusal = imageNameRefusal(name);
  if (refusal !== null) throw unsupported(refusal);
  if (extension === 'xz' || extension === 'zip') {
    // A name that promises compression over bytes that are not: a cut-off download or an HTML error page saved under the name.
    throw new WorkbenchFailure(
      'corrupted',
      `${name} is named .${extension} but does not start like one: the download may be incomplete or an error page. Download it again.`,
    );
  }
  if (firstBytes.length === 0) throw new WorkbenchFailure('invalid-request', `${name} is empty.`);
  return 'img';
}

/** The image name says JetPack 6 (L4T r36): `jp6`, `jp62`, `jp-6`, `jetpack-6.1`, `JetPack_6`, `r36.4`. */
export function looksLikeJetPack6(imageName: string): boolean {
  const name = imageName.toLowerCase();
  return /(^|[^a-z0-9])(jp-?6|jetpack[-_ ]?6|l4t-?r36|r36)($|[^0-9])/.test(name) || /(^|[^a-z0-9])jp6\d($|[^0-9])/.test(name);
}

/**
 * The §2.8 warning when a JetPack 6 image may go to an Orin Nano (the module
 * is one, or we do not know which board the card is for); null otherwise.
 */
export function orinNanoFirmwareWarning(imageName: string, module?: string | null): string | null {
  if (!looksLikeJetPack6(imageName)) return null;
  const known = module !== undefined && module !== null && module.trim() !== '';
  if (known && !/orin[\s_-]*nano/i.test(module)) return null;
  return [
    'This looks like a JetPack 6 image. A Jetson Orin Nano developer kit still on its factory QSPI firmware will not boot it: the screen stays black or it stops in UEFI.',
    'Update the firmware first: write a JetPack 5.1.3 SD card, boot it once and let it install its QSPI update (nvidia-l4t-jetson-orin-nano-qspi-updater) and reboot; then write this JetPack 6 card.',
    "Or flash the QSPI over USB in recovery mode with SDK Manager or Linux_for_Tegra's tools/kernel_flash/l4t_initrd_flash.sh.",
    'To check: the UEFI version shows on the boot screen (press Esc), or run sudo nvbootctl dump-slots-info on the board.',
  ].join(' ');
}

function extensionOf(name: string): string {
  return name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? '';
}

function unsupported(message: string): WorkbenchFailure {
  return new WorkbenchFailure('unsupported', message);
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return bytes.length >= magic.length && magic.every((byte, index) => bytes[index] === byte);
}

function asciiAt(bytes: Uint8Array, offset: number, text: string): boolean {
  if (bytes.length < offset + text.length) return false;
  for (let index = 0; index < text.length; index += 1) {
    if (bytes[offset + index] !== text.charCodeAt(index)) return false;
  }
  return true;
}
