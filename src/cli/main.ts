/**
 * `jwb`: the workbench core without a window. Every command prints text for a
 * person and offers `--json` for scripts.
 */
import { UsageError, type CliCommand, type CliIo } from './command.ts';
import { printableStream } from './printable.ts';

interface CommandEntry {
  name: string;
  summary: string;
  /** Loaded on use, so `jwb version` does not pay for the serve shell or the simulator. */
  load: () => Promise<CliCommand>;
}

const commands: CommandEntry[] = [
  { name: 'version', summary: 'Print the workbench version', load: async () => (await import('./commands/version.ts')).versionCommand },
  {
    name: 'serve',
    summary: 'Serve the workbench to a browser on this computer (127.0.0.1)',
    load: async () => (await import('./commands/serve.ts')).serveCommand,
  },
  {
    name: 'sim',
    summary: 'Start simulated Jetson boards on 127.0.0.x until interrupted',
    load: async () => (await import('./commands/sim.ts')).simCommand,
  },
  {
    name: 'discover',
    summary: 'Find boards answering SSH in an address range, or announced by mDNS (and identify them)',
    load: async () => (await import('./commands/discover.ts')).discoverCommand,
  },
  {
    name: 'serial',
    summary: 'Log in on a board’s serial console and read its network address (first boot)',
    load: async () => (await import('./commands/serial.ts')).serialCommand,
  },
  {
    name: 'info',
    summary: 'Identify one board over SSH: module, JetPack, CUDA, frameworks…',
    load: async () => (await import('./commands/info.ts')).infoCommand,
  },
  {
    name: 'telemetry',
    summary: 'Parse tegrastats output, or record a board’s power to CSV',
    load: async () => (await import('./commands/telemetry.ts')).telemetryCommand,
  },
  {
    name: 'bench',
    summary: 'Benchmark one board (suite × framework × repeats) with power and energy',
    load: async () => (await import('./commands/bench.ts')).benchCommand,
  },
  {
    name: 'report',
    summary: 'Write the benchmark report (HTML, CSV, JSON; --pdf with Chromium)',
    load: async () => (await import('./commands/report.ts')).reportCommand,
  },
  {
    name: 'drives',
    summary: 'List the drives an SD-card image can be written to (system drives marked)',
    load: async () => (await import('./commands/flash.ts')).drivesCommand,
  },
  {
    name: 'flash',
    summary: 'Write an SD-card image, or flash a board in recovery mode with NVIDIA’s scripts',
    load: async () => (await import('./commands/flash.ts')).flashCommand,
  },
  {
    name: 'install',
    summary: "Install a library (PyTorch, TensorFlow, …) for the board's JetPack, resumable",
    load: async () => (await import('./commands/install.ts')).installCommand,
  },
  {
    name: 'lab',
    summary: "Check a teacher's lab file, or run a lab on a board: install, benchmark, hand-in report",
    load: async () => (await import('./commands/lab.ts')).labCommand,
  },
];

export function helpText(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const lines = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`);
  return [
    'jwb: Jetson Workbench from the command line',
    '',
    'Usage: jwb <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `jwb <command> --help` for the options of one command. Every command accepts --json.',
    '',
  ].join('\n');
}

export async function runCli(argv: string[], unsafeIo: CliIo): Promise<number> {
  const io: CliIo = { ...unsafeIo, stdout: printableStream(unsafeIo.stdout), stderr: printableStream(unsafeIo.stderr) };
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(helpText());
    return 0;
  }
  const entry = commands.find((candidate) => candidate.name === (name === '--version' || name === '-v' ? 'version' : name));
  if (!entry) {
    io.stderr.write(`jwb: unknown command "${name}"\n\n${helpText()}`);
    return 2;
  }
  const command = await entry.load();
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(`Usage: ${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr.write(`jwb ${command.name}: ${error.message}\nUsage: ${command.usage}\n`);
      return 2;
    }
    throw error;
  }
}
