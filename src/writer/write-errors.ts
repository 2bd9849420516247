/**
 * What a failed system call means to a student at a lab bench (balenaEtcher's
 * wording ideas, reference §3.2: the lost drive, the validation failure).
 */
import { WorkbenchFailure } from '../shared/errors.ts';

/** A failure of the drive itself, from an errno; anything already a WorkbenchFailure passes through. */
export function driveFailure(error: unknown, device: string): WorkbenchFailure {
  if (error instanceof WorkbenchFailure) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'EBUSY':
      return new WorkbenchFailure(
        'conflict',
        `${device} is still in use: a partition is mounted or a program has it open. Close programs using the card (a file manager window, a terminal in it) and try again.`,
        detail,
      );
    case 'ENOSPC':
    case 'EFBIG':
      return new WorkbenchFailure('disk-full', `The image is larger than ${device}: use a larger card.`, detail);
    case 'EIO':
    case 'ENXIO':
    case 'ENODEV':
    case 'ENOENT':
    case 'ENOMEDIUM':
      return lostDrive(device, detail);
    case 'EROFS':
      return new WorkbenchFailure(
        'forbidden',
        `${device} is write-protected: slide the lock switch on the card (or its adapter) away from "Lock" and try again.`,
        detail,
      );
    case 'EACCES':
    case 'EPERM':
      return new WorkbenchFailure(
        'forbidden',
        `Writing to ${device} needs administrator rights: start the writer with elevation (the password prompt).`,
        detail,
      );
    default:
      return new WorkbenchFailure('internal', `Writing to ${device} failed.`, detail);
  }
}

export function lostDrive(device: string, detail?: string): WorkbenchFailure {
  return new WorkbenchFailure(
    'unavailable',
    `The drive disappeared or failed while writing ${device}: was it unplugged? A loose card or a faulty reader does this too; try another reader or USB port.`,
    detail,
  );
}

export function corruptedWrite(device: string, written: string, readBack: string): WorkbenchFailure {
  return new WorkbenchFailure(
    'corrupted',
    `The image was written to ${device}, but it read back differently: the card or the reader is failing. Try another card, or another reader.`,
    `SHA-256 written ${written}, read back ${readBack}`,
  );
}

export function cancelledWrite(device: string): WorkbenchFailure {
  return new WorkbenchFailure(
    'cancelled',
    `Writing ${device} was cancelled: the card holds part of an image now, write it again before using it.`,
  );
}
