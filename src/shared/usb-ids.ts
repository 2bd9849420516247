/**
 * USB identifiers of Jetson boards and of the USB-serial bridges devkit
 * consoles use. Every NVIDIA id comes from /work/shared/reference/jetson-facts.md
 * sections 4.1–4.3 (usb.ids `usbids/usbids:usb.ids`, OE4T
 * `find-jetson-usb.sh` / `docs/Flashing-without-sudo.md`,
 * `airvolute/dcs-deploy:dcs_deploy.py`, Seeed wiki flashing pages).
 */

/** NVIDIA Corp. (jetson-facts.md 4.1). */
export const nvidiaVendorId = '0955';

/**
 * serialport gives `'0955'`, Arduino and lsusb-style tools `'0x0955'`, case
 * varies by OS: every id is stored as lowercase 4-hex without `0x`, once, here
 * (STYLE.md D "Normalize IDs once"). Returns undefined for anything that is not
 * a 16-bit hex id.
 */
export function normalizeUsbId(id: string | number | undefined | null): string | undefined {
  if (id === undefined || id === null) return undefined;
  if (typeof id === 'number') return Number.isInteger(id) && id >= 0 && id <= 0xffff ? id.toString(16).padStart(4, '0') : undefined;
  const text = id.trim().toLowerCase().replace(/^0x/, '');
  if (!/^[0-9a-f]{1,4}$/.test(text)) return undefined;
  return text.padStart(4, '0');
}

/** Force Recovery Mode (RCM, "APX") product id → module (jetson-facts.md 4.1, table). */
export const recoveryProducts: Readonly<Record<string, string>> = {
  '7721': 'Jetson TX1',
  '7f21': 'Jetson Nano',
  '7c18': 'Jetson TX2 / TX2 NX',
  '7418': 'Jetson TX2 4GB',
  '7018': 'Jetson TX2i',
  '7019': 'Jetson AGX Xavier',
  '7819': 'Jetson AGX Xavier Industrial',
  '7919': 'Jetson AGX Xavier Industrial',
  '7e19': 'Jetson Xavier NX',
  '7023': 'Jetson AGX Orin',
  '7223': 'Jetson AGX Orin 32GB',
  // Appears alongside the main-CPU id of AGX Orin / Thor (OE4T Flashing-without-sudo.md): not a board of its own.
  '7045': 'Jetson AGX Orin / Thor supervisor CPU',
  '7323': 'Jetson Orin NX 16GB',
  '7423': 'Jetson Orin NX 8GB',
  '7523': 'Jetson Orin Nano 8GB',
  '7623': 'Jetson Orin Nano 4GB',
  '7026': 'Jetson AGX Thor',
  '7326': 'Jetson AGX Thor (P3834-0001)',
  // Listed by OE4T master find-jetson-usb.sh without a label.
  '7226': 'Jetson (unlabelled recovery id 7226)',
};

/** The supervisor CPU shows up next to the main CPU of the same board: it must not count as a second board. */
export const supervisorProductIds: ReadonlySet<string> = new Set(['7045']);

/** 0955:7020 "L4T (Linux for Tegra) running on Tegra": a booted board's USB gadget (jetson-facts.md 4.2). */
export const l4tGadgetProductId = '7020';
/** 0955:7035 "Jetson device in initrd flashing mode" (jetson-facts.md 4.1, usb.ids). */
export const initrdFlashProductId = '7035';

/**
 * The board's own address on the USB gadget network (jetson-facts.md 4.2 and
 * 5: `l4tbr0` 192.168.55.1/24, the host gets .100). A default only: every
 * caller takes the address as an option so tests never touch it.
 */
export const defaultUsbNetworkAddress = '192.168.55.1';

export type UsbRole =
  | { kind: 'recovery'; module: string; supervisor: boolean }
  | { kind: 'l4t-gadget' }
  | { kind: 'initrd-flash' }
  | { kind: 'nvidia-other' }
  | { kind: 'console-bridge'; chip: string }
  | { kind: 'unknown' };

/**
 * USB-serial bridges seen as devkit consoles (jetson-facts.md 4.3: the AGX
 * Xavier devkit's FT4232, FTDI/PL2303/CH340 adapters on the Nano/TX headers).
 * The product ids are the chips' standard ones from usb.ids
 * (http://www.linux-usb.org/usb.ids); such a port is only "possibly a console".
 */
export const consoleBridges: Readonly<Record<string, string>> = {
  '0403:6011': 'FTDI FT4232H',
  '0403:6010': 'FTDI FT2232',
  '0403:6001': 'FTDI FT232R',
  '0403:6014': 'FTDI FT232H',
  '0403:6015': 'FTDI FT-X',
  '067b:2303': 'Prolific PL2303',
  '1a86:7523': 'WCH CH340',
  '10c4:ea60': 'Silicon Labs CP210x',
};

export function usbRole(vendorId: string | undefined, productId: string | undefined): UsbRole {
  const vendor = normalizeUsbId(vendorId);
  const product = normalizeUsbId(productId);
  if (vendor === undefined || product === undefined) return { kind: 'unknown' };
  if (vendor === nvidiaVendorId) {
    const module = recoveryProducts[product];
    if (module !== undefined) return { kind: 'recovery', module, supervisor: supervisorProductIds.has(product) };
    if (product === l4tGadgetProductId) return { kind: 'l4t-gadget' };
    if (product === initrdFlashProductId) return { kind: 'initrd-flash' };
    return { kind: 'nvidia-other' };
  }
  const chip = consoleBridges[`${vendor}:${product}`];
  return chip === undefined ? { kind: 'unknown' } : { kind: 'console-bridge', chip };
}
