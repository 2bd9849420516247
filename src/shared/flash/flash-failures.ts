/**
 * A failed flash's log lines → what happened and what to do, in words a
 * student understands: the table of
 * /work/shared/reference/flashing-and-installing.md §2.7, with the verbatim
 * messages of §2.1, §2.2, §2.5 and §2.6 (e)–(i). Re-exported by flash-log.ts.
 */

export interface FailureCause {
  /** Stable name of the cause, for the renderer and tests. */
  id: string;
  cause: string;
  advice: string;
}

interface CauseRule {
  id: string;
  patterns: readonly RegExp[];
  explain(match: RegExpExecArray): { cause: string; advice: string };
}

const recoveryAgain = 'put the board into Force Recovery Mode again (the steps beside the board)';

function fixed(cause: string, advice: string): CauseRule['explain'] {
  return () => ({ cause, advice });
}

// Most specific first: a Boot ROM failure also prints `Error: Return value 3`, and R36 prints
// `failed to read rcm_state` even in flashes that then go on fine (§2.6 g).
const rules: readonly CauseRule[] = [
  {
    id: 'missing-host-tool',
    patterns: [/^ERROR (\S+) not found! To install - please run: "([^"]+)"/, /^ERROR (\S+) not found!/],
    explain: (match) => ({
      cause: `A program NVIDIA's script needs is not installed on this computer: ${match[1]}.`,
      advice: `Install it with \`${match[2] ?? `sudo apt-get install ${match[1]}`}\` (or run \`sudo ./tools/l4t_flash_prerequisites.sh\` once in the Linux_for_Tegra folder), then flash again.`,
    }),
  },
  {
    id: 'disk-full',
    patterns: [/No space left on device/],
    explain: fixed(
      'This computer ran out of disk space while building the images.',
      'Free space where the Linux_for_Tegra folder is (a full flash needs about 40 GB), or move the folder to a bigger disk. A live USB system or a small /home runs out quickly.',
    ),
  },
  {
    id: 'eeprom',
    patterns: [
      /could not retrieve EEPROM board information/,
      /^Error: Target board not found/,
      /^Error: Boot device not found/,
      /\bI2C\b.*\b0xAC\b/i,
    ],
    explain: fixed(
      "The script could not read the board's identity (its EEPROM) through the carrier board.",
      "This happens with custom carrier boards whose EEPROM is missing or different: such a carrier needs its vendor's BSP (Linux_for_Tegra folder), not NVIDIA's devkit one.",
    ),
  },
  {
    id: 'too-many-boards',
    patterns: [/too many devices in RCM mode/, /Too many Jetson devices found/],
    explain: fixed(
      'More than one board is in recovery mode, and the script does not know which one to flash.',
      "Unplug the other boards, or choose this board's USB port in the workbench so it passes --usb-instance.",
    ),
  },
  {
    id: 'not-in-recovery',
    patterns: [/probing the target board failed/, /No Jetson device found/, /^No devices to flash/, /Could not detect a board/],
    explain: fixed(
      'The board was not found in recovery mode on USB.',
      `Check the USB cable is a data cable (a charge-only cable looks the same) and sits in the board's device port (AGX Orin: the USB-C next to the 40-pin header), then ${recoveryAgain}. The workbench shows the board as 0955:xxxx when it sees it.`,
    ),
  },
  {
    id: 'boot-rom',
    patterns: [/Boot Rom communication failed/],
    explain: fixed(
      "This computer could not talk to the board's Boot ROM over USB.",
      `This is common in a virtual machine (USB passthrough), through a USB hub, on some USB 3 ports and with long or poor cables. Use a Linux computer directly if you can, a rear USB 2 port and a short data cable, then ${recoveryAgain}.`,
    ),
  },
  {
    id: 'usb-lost',
    patterns: [/Cannot Open USB/, /USB communication failed/, /None of the bootloaders are running/],
    explain: fixed(
      'The board dropped off USB after its first bootloader started.',
      `It happens in virtual machines, with USB power saving, or when this L4T release does not support this module's revision. ${capitalize(recoveryAgain)} and retry; if it happens again, read the board's serial (UART) console log and check that your L4T release supports the module.`,
    ),
  },
  {
    id: 'usb-stale',
    patterns: [/might be timeout in USB write/, /failed to read rcm_state/],
    explain: fixed(
      "The USB conversation with the board went stale (a recovery session left over, or this computer's USB controller).",
      'Power the board off, put it into Force Recovery Mode again and retry. If it happens again, try another USB port, ideally on another controller (some AMD USB controllers are reported to do this).',
    ),
  },
  {
    id: 'ipv6-disabled',
    patterns: [/IPv6 is disabled/],
    explain: fixed(
      "IPv6 is turned off on this computer, and NVIDIA's initrd flasher talks to the board over IPv6.",
      'Turn IPv6 back on (`sudo sysctl -w net.ipv6.conf.all.disable_ipv6=0`, and remove ipv6.disable from the kernel command line if it is there), then flash again.',
    ),
  },
  {
    id: 'firewall',
    patterns: [/NFS port is blocked by UFW/],
    explain: fixed(
      "This computer's firewall (UFW) blocks NFS, which the initrd flasher uses to send the images to the board.",
      'Turn the firewall off while flashing (`sudo ufw disable`, and `sudo ufw enable` afterwards), then flash again.',
    ),
  },
  {
    id: 'usb-network',
    patterns: [/Device ping failed/, /mount\.nfs: Connection timed out/, /^Error: Timeout/],
    explain: fixed(
      'The board started the flashing kernel but never answered over the USB network.',
      "Turn off any VPN and firewall, keep IPv6 on, connect the board directly (no hub), then retry. If it happens again, the board's serial console log says why it did not start.",
    ),
  },
  {
    id: 'external-storage',
    patterns: [/could not find nvme0n1/, /write failure to external storage/],
    explain: fixed(
      'The board did not find its NVMe drive while flashing.',
      'Power off and check that the SSD sits fully in the M.2 slot and is screwed down, then put the board into Force Recovery Mode again and retry.',
    ),
  },
  {
    id: 'tool-error',
    patterns: [/^Error: Return value (\d+)/],
    explain: (match) => ({
      cause: `One of NVIDIA's flashing tools on this computer stopped with an error (return value ${match[1]}).`,
      advice: `Read the log lines just above that error. ${capitalize(recoveryAgain)} and retry, with a direct USB connection.`,
    }),
  },
  {
    id: 'script-failed',
    patterns: [/^Failed flashing /, /Flash complete \(WITH FAILURES\)/, /^ERR: /],
    explain: fixed(
      "NVIDIA's script reported that flashing failed.",
      `Read the first error in the log. ${capitalize(recoveryAgain)} and retry; the serial console log of the board tells more if it happens again.`,
    ),
  },
];

/** Lines worth keeping for `failureCause`: anything a rule knows, or that looks like an error. */
export function isEvidence(text: string): boolean {
  return (
    /\b(error|failed|failure|timeout)\b|^ERR:/i.test(text) || rules.some((rule) => rule.patterns.some((pattern) => pattern.test(text)))
  );
}

/** `[  12.3456 ] text` (tegraflash) or `16:12:15.019 - text` (the initrd flasher's messages, §2.6 h) → text. */
export function stripStamp(line: string): { seconds: number | null; text: string } {
  const stamped = /^\[\s*(\d+(?:\.\d+)?)\s*\]\s?(.*)$/.exec(line);
  if (stamped?.[1] !== undefined) return { seconds: Number(stamped[1]), text: (stamped[2] ?? '').trim() };
  const clock = /^\d{2}:\d{2}:\d{2}\.\d{3} - (.*)$/.exec(line);
  return { seconds: null, text: (clock?.[1] ?? line).trim() };
}

/** The first §2.7 cause whose message is in the lines (most specific rule first), or null. */
export function failureCause(lines: readonly string[]): FailureCause | null {
  const texts = lines.map((line) => stripStamp(line).text);
  for (const rule of rules) {
    for (const pattern of rule.patterns) {
      for (const text of texts) {
        const match = pattern.exec(text);
        if (match) return { id: rule.id, ...rule.explain(match) };
      }
    }
  }
  return null;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
