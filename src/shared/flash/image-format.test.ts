import { describe, expect, it } from 'vitest';
import { imageFormatOf, imageHeaderBytes, looksLikeJetPack6, orinNanoFirmwareWarning } from './image-format.ts';

function bytes(...values: number[]): Uint8Array {
  const header = new Uint8Array(imageHeaderBytes);
  header.set(values);
  return header;
}

function ascii(text: string, at: number, length = imageHeaderBytes): Uint8Array {
  const header = new Uint8Array(length);
  for (let index = 0; index < text.length; index += 1) header[at + index] = text.charCodeAt(index);
  return header;
}

describe('imageFormatOf', () => {
  it('knows xz and zip by their magic, whatever the name says', () => {
    expect(imageFormatOf('jetson.img.xz', bytes(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00))).toBe('xz');
    expect(imageFormatOf('jetson.img', bytes(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00))).toBe('xz');
    expect(imageFormatOf('jp62-orin-nano-sd-card-image.zip', bytes(0x50, 0x4b, 0x03, 0x04, 0x14))).toBe('zip');
  });

  it('takes anything else as a raw image (an MBR, a GPT, zeros)', () => {
    const mbr = bytes();
    mbr[510] = 0x55;
    mbr[511] = 0xaa;
    expect(imageFormatOf('sd-blob.img', mbr)).toBe('img');
    expect(imageFormatOf('sd-blob.img', ascii('EFI PART', 512))).toBe('img');
    expect(imageFormatOf('short.img', new Uint8Array(100))).toBe('img');
  });

  it.each([
    ['jetson.img.gz', bytes(0x1f, 0x8b, 0x08), /gzip/],
    ['jetson.img.bz2', bytes(0x42, 0x5a, 0x68, 0x39), /bzip2/],
    ['jetson.7z', bytes(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c), /7-Zip/],
    ['jetson.img.zst', bytes(0x28, 0xb5, 0x2f, 0xfd), /Zstandard/],
    ['jetson.tar', ascii('ustar', 257), /tar/],
    ['ubuntu-22.04-desktop-amd64.iso', ascii('CD001', 0x8001), /installer/],
  ])('refuses %s, naming what is supported', (name, header, what) => {
    expect(() => imageFormatOf(name, header)).toThrow(what);
    expect(() => imageFormatOf(name, header)).toThrow(/\.img, an \.img\.xz or a \.zip/);
  });

  it('refuses a name that says compressed over bytes that are not', () => {
    expect(() => imageFormatOf('jetson.img.xz', ascii('<!DOCTYPE html>', 0))).toThrow(/does not start like one/);
    expect(() => imageFormatOf('jetson.iso', bytes())).toThrow(/ISO 9660/);
    expect(() => imageFormatOf('empty.img', new Uint8Array(0))).toThrow(/empty/);
  });
});

describe('orinNanoFirmwareWarning', () => {
  it.each([
    'jp6-orin-nano-sd-card-image.zip',
    'jp62-orin-nano-sd-card-image.zip',
    'JP-6.1.img.xz',
    'jetpack-6.2-orin.img',
    'JetPack_6_sd.zip',
    'l4t-r36.4.3.img.xz',
    'jp60.img',
  ])('%s is JetPack 6', (name) => {
    expect(looksLikeJetPack6(name)).toBe(true);
  });

  it.each([
    'jp512-orin-nano-sd-card-image.zip',
    'jetson-nano-jp461-sd-card-image.zip',
    'r35.4.1.img',
    'jp5.1.3.img.xz',
    'sd-blob.img',
    'r360-camera.img',
  ])('%s is not', (name) => {
    expect(looksLikeJetPack6(name)).toBe(false);
  });

  it('warns for an Orin Nano or an unknown module, with what to do', () => {
    const warning = orinNanoFirmwareWarning(
      'jp62-orin-nano-sd-card-image.zip',
      'NVIDIA Jetson Orin Nano Engineering Reference Developer Kit Super',
    );
    expect(warning).toMatch(/JetPack 5\.1\.3/);
    expect(warning).toMatch(/QSPI/);
    expect(warning).toMatch(/l4t_initrd_flash\.sh/);
    expect(orinNanoFirmwareWarning('jp62.zip')).toBe(warning);
    expect(orinNanoFirmwareWarning('jp62.zip', null)).toBe(warning);
    expect(orinNanoFirmwareWarning('jp62.zip', 'jetson-orin-nano-devkit')).toBe(warning);
  });

  it('stays quiet for other modules and other JetPacks', () => {
    expect(orinNanoFirmwareWarning('jp62.zip', 'NVIDIA Jetson AGX Orin Developer Kit')).toBeNull();
    expect(orinNanoFirmwareWarning('jp512-orin-nano-sd-card-image.zip', 'NVIDIA Jetson Orin Nano Developer Kit')).toBeNull();
  });
});
