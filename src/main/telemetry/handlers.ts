/** `telemetry.*`: live power, markers, recordings and their CSV. */
import type { HandlersOf } from '../core/dispatcher.ts';
import type { TelemetryService } from './telemetry-service.ts';

export function telemetryHandlers(telemetry: TelemetryService): HandlersOf<'telemetry'> {
  return {
    'telemetry.start': ({ board, source, intervalMs }) => telemetry.start(board, source, intervalMs),
    'telemetry.stop': async ({ board }) => ({ stopped: await telemetry.stop(board) }),
    'telemetry.list': () => telemetry.list(),
    'telemetry.mark': ({ board, label }) => telemetry.mark(board, label),
    'telemetry.record.start': ({ board, title }) => telemetry.startRecording(board, title),
    'telemetry.record.stop': ({ board }) => telemetry.stopRecording(board),
    'telemetry.recordings': ({ limit }) => telemetry.recordings(limit),
    'telemetry.exportCsv': ({ id }) => telemetry.exportCsv(id),
  };
}
