/**
 * Parsers for what any Linux host says about itself. Each takes the raw text
 * of one probe (and nothing else), so the serial console can reuse them.
 */

/** `/proc/device-tree/model` and `serial-number` end with a NUL byte (jetson-facts.md 3.2). */
export function parseDeviceTreeString(text: string | undefined): string | null {
  if (text === undefined) return null;
  const value = text.replaceAll('\0', '').trim();
  return value === '' ? null : value;
}

/** `/etc/os-release` → PRETTY_NAME (or NAME VERSION). */
export function parseOsRelease(text: string | undefined): string | null {
  if (text === undefined) return null;
  const fields = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) fields.set(match[1], match[2].replace(/^"(.*)"$/, '$1'));
  }
  const pretty = fields.get('PRETTY_NAME');
  if (pretty) return pretty;
  const name = fields.get('NAME');
  return name ? [name, fields.get('VERSION')].filter(Boolean).join(' ') : null;
}

/** `uname -a` → kernel release, host name and machine. */
export function parseUname(text: string | undefined): { kernel: string | null; hostname: string | null; arch: string | null } {
  const fields = (text ?? '').trim().split(/\s+/);
  if (fields[0] !== 'Linux' || fields.length < 3) return { kernel: null, hostname: null, arch: null };
  // The machine field sits before the optional processor/platform fields and "GNU/Linux".
  const tail = fields.filter((field) => field !== 'GNU/Linux');
  const arch = [...tail].reverse().find((field) => /^(aarch64|x86_64|armv\w+|i[3-6]86|riscv64|ppc64le|s390x)$/.test(field)) ?? null;
  return { kernel: fields[2] ?? null, hostname: fields[1] ?? null, arch };
}

export function parseInteger(text: string | undefined): number | null {
  const match = /^\s*(\d+)\s*$/.exec(text ?? '');
  return match?.[1] === undefined ? null : Number(match[1]);
}

/** `/proc/meminfo` → RAM and swap totals in MB (MiB, as `free -m`). */
export function parseMeminfo(text: string | undefined): { ramMb: number | null; swapMb: number | null } {
  const kb = (name: string): number | null => {
    const match = new RegExp(`^${name}:\\s+(\\d+)\\s*kB`, 'm').exec(text ?? '');
    return match?.[1] === undefined ? null : Number(match[1]);
  };
  const ram = kb('MemTotal');
  const swap = kb('SwapTotal');
  return { ramMb: ram === null ? null : Math.round(ram / 1024), swapMb: swap === null ? null : Math.round(swap / 1024) };
}

/** `df -k /` → free and total GB of the root filesystem (the last line; long device names wrap onto two lines). */
export function parseDfRoot(text: string | undefined): { freeGb: number | null; totalGb: number | null } {
  const body = (text ?? '').split('\n').slice(1).join(' ').trim();
  const match = /(\d+)\s+(\d+)\s+(\d+)\s+\d+%\s+\/\s*$/.exec(body);
  if (match?.[1] === undefined || match[3] === undefined) return { freeGb: null, totalGb: null };
  const toGb = (kb: number): number => Math.round((kb / 1024 / 1024) * 10) / 10;
  return { totalGb: toGb(Number(match[1])), freeGb: toGb(Number(match[3])) };
}

/** `ip -4 addr` (or `ip -4 -o addr`) → `address/prefix` list, loopback left out. */
export function parseIpv4Addresses(text: string | undefined): string[] {
  const addresses: string[] = [];
  for (const match of (text ?? '').matchAll(/\binet (\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2})/g)) {
    const address = match[1];
    if (address !== undefined && !address.startsWith('127.0.0.1/') && !addresses.includes(address)) addresses.push(address);
  }
  return addresses;
}

/**
 * The board's own internet check prints `status=<exit code>` of
 * `timeout 3 getent hosts pypi.org`: 0 resolved; 124 (timeout) or 2 (not
 * found) means no; anything else (127: no `timeout`/`getent`) is unknown.
 */
export function parseInternetCheck(text: string | undefined): 'yes' | 'no' | 'unknown' {
  const status = /status=(\d+)/.exec(text ?? '')?.[1];
  if (status === '0') return 'yes';
  if (status === '124' || status === '2' || status === '1') return 'no';
  return 'unknown';
}

/** `python3 --version` → `3.10.12`. */
export function parsePythonVersion(text: string | undefined): string | null {
  return /Python (\d+\.\d+(?:\.\d+)?)/.exec(text ?? '')?.[1] ?? null;
}
