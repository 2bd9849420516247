/**
 * The contract's closed lists of names, without its schemas: the sandboxed
 * preload needs only these, and stays free of zod (which probes `eval` when
 * it loads). `contract.test.ts` checks they match `api.ts` exactly.
 */
import type { MethodName, TopicName } from './api.ts';

export const methodNames = [
  'app.info',
  'settings.get',
  'settings.update',
  'demo.profiles',
  'demo.list',
  'demo.add',
  'demo.remove',
  'boards.list',
  'boards.add',
  'boards.update',
  'boards.remove',
  'boards.connect',
  'boards.disconnect',
  'boards.trustHostKey',
  'boards.installKey',
  'boards.details',
  'boards.identify',
  'terminal.open',
  'terminal.input',
  'terminal.resize',
  'terminal.close',
  'discovery.list',
  'discovery.scan',
  'discovery.stop',
  'discovery.addSerialPort',
  'discovery.interfaces',
  'discovery.browseMdns',
  'discovery.stopMdns',
  'discovery.serialLogin',
  'telemetry.start',
  'telemetry.stop',
  'telemetry.list',
  'telemetry.mark',
  'telemetry.record.start',
  'telemetry.record.stop',
  'telemetry.recordings',
  'telemetry.exportCsv',
  'bench.plan.estimate',
  'bench.start',
  'bench.cancel',
  'bench.runs',
  'bench.report',
  'install.recipes',
  'install.start',
  'install.cancel',
  'install.procedure',
  'flash.drives',
  'flash.devkits',
  'flash.workbenchKey',
  'flash.sd.start',
  'flash.recovery.check',
  'flash.recovery.start',
  'flash.cancel',
  'flash.jobs',
  'flash.log',
  'flash.console.open',
  'flash.console.answer',
  'flash.console.auto',
  'flash.console.finish',
  'flash.console.close',
] as const satisfies readonly MethodName[];

export const topicNames = [
  'settings.onDidChange',
  'demo.onDidChange',
  'boards.onDidChange',
  'terminal.onDidOutput',
  'terminal.onDidExit',
  'discovery.onDidChange',
  'telemetry.onDidSample',
  'telemetry.onDidChange',
  'bench.onDidProgress',
  'bench.onDidPower',
  'install.onDidProgress',
  'flash.onDidProgress',
] as const satisfies readonly TopicName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && (methodNames as readonly string[]).includes(name);
}

export function isTopicName(name: unknown): name is TopicName {
  return typeof name === 'string' && (topicNames as readonly string[]).includes(name);
}

/** Electron IPC channels: used only by the preload and main's IPC router. */
export const ipcChannels = {
  request: 'jwb:request',
  subscribe: 'jwb:subscribe',
  unsubscribe: 'jwb:unsubscribe',
  event: 'jwb:event',
} as const;
