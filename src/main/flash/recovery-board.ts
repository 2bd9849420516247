/**
 * Which board on USB a recovery flash is for: the devkit's APX product ids
 * (flashing-and-installing.md §2.5) among the NVIDIA devices in recovery,
 * one of them, or the one at the port the student chose. When none fits, the
 * refusal says what is there instead (another Jetson, a booted one at
 * 0955:7020, one stuck in initrd mode at 0955:7035) and how to enter Force
 * Recovery Mode (§2.4).
 */
import type { Devkit } from '../../shared/flash/contract.ts';
import { devkitForProductId } from '../../shared/flash/devkits.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { initrdFlashProductId, l4tGadgetProductId, recoveryProducts, supervisorProductIds } from '../../shared/usb-ids.ts';
import type { NvidiaUsbDevice } from './recovery-usb.ts';

export interface ChosenBoard {
  port: string;
  productId: string;
  /** Pass `--usb-instance`: the student chose the port, or more than one Jetson is in recovery (§2.1). */
  passUsbInstance: boolean;
}

function inRecovery(device: NvidiaUsbDevice): boolean {
  return recoveryProducts[device.productId] !== undefined && !supervisorProductIds.has(device.productId);
}

function describe(device: NvidiaUsbDevice): string {
  if (inRecovery(device)) {
    const candidates = devkitForProductId(device.productId).map((devkit) => devkit.name);
    const choose = candidates.length === 0 ? '' : ` (choose ${candidates.join(' or ')})`;
    return `${recoveryProducts[device.productId]} in recovery mode at ${device.port}${choose}`;
  }
  if (device.productId === l4tGadgetProductId) {
    return `a Jetson running Linux at ${device.port} (0955:7020): it is not in recovery mode; run \`sudo reboot forced-recovery\` on it or use the buttons`;
  }
  if (device.productId === initrdFlashProductId) {
    return `a Jetson in initrd flashing mode at ${device.port} (0955:7035): a flash is running or was interrupted; power it off and put it into recovery mode again`;
  }
  return `an NVIDIA device 0955:${device.productId} at ${device.port}`;
}

function recoveryHowTo(devkit: Devkit): string {
  return devkit.recoverySteps.map((step, index) => `${index + 1}. ${step.text}`).join('\n');
}

export function chooseBoard(devkit: Devkit, devices: readonly NvidiaUsbDevice[], usbInstance: string | undefined): ChosenBoard {
  const recovery = devices.filter(inRecovery);
  const matching = recovery.filter((device) => devkit.recoveryProductIds.includes(device.productId));
  const passUsbInstance = usbInstance !== undefined || recovery.length > 1;
  if (usbInstance !== undefined) {
    const chosen = matching.find((device) => device.port === usbInstance);
    if (chosen !== undefined) return { port: chosen.port, productId: chosen.productId, passUsbInstance };
    const there = devices.find((device) => device.port === usbInstance);
    const what = there === undefined ? 'nothing from NVIDIA is there' : `there is ${describe(there)}`;
    throw new WorkbenchFailure(
      'not-found',
      `No ${devkit.name} in recovery mode at USB port ${usbInstance}: ${what}.`,
      recoveryHowTo(devkit),
    );
  }
  const [only, ...others] = matching;
  if (only !== undefined && others.length === 0) return { port: only.port, productId: only.productId, passUsbInstance };
  if (only !== undefined) {
    const ports = matching.map((device) => device.port).join(', ');
    throw new WorkbenchFailure(
      'invalid-request',
      `Several boards that can be a ${devkit.name} are in recovery mode (USB ${ports}): choose which one to flash.`,
    );
  }
  const seen = devices.length === 0 ? 'Nothing from NVIDIA is on USB.' : `On USB: ${devices.map(describe).join('; ')}.`;
  throw new WorkbenchFailure(
    'not-found',
    `No ${devkit.name} in recovery mode on USB. ${seen} Put the board into Force Recovery Mode, with a data USB cable to this computer.`,
    recoveryHowTo(devkit),
  );
}
