import { appendFileSync } from 'node:fs';
import { cudaInstalled } from '../install-state.ts';
import { formatTegrastats } from '../tegrastats-format.ts';
import { println, type CommandContext, type CommandHandler } from '../shell/context.ts';
import { pause, resolveHost } from './util.ts';

/**
 * NVIDIA's board tools: tegrastats, nvpmodel, jetson_clocks, nvcc. Texts follow
 * ../shared/reference/jetson-facts.md §2.6–2.7 (jtop's parsers of nvpmodel and
 * jetson_clocks) and public transcripts (NVPM ERROR lines for a non-root user).
 */

function jetsonOnly(context: CommandContext): boolean {
  if (context.session.board.profile.kind === 'jetson') return true;
  context.stderr.write(`bash: ${context.argv[0]}: command not found\n`);
  return false;
}

async function tegrastats(context: CommandContext): Promise<number> {
  if (!jetsonOnly(context)) return 127;
  const args = context.argv.slice(1);
  let interval = 1000;
  let logfile: string | null = null;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index];
    if (arg === '--interval') interval = Number(args[++index]);
    else if (arg === '--logfile') logfile = args[++index] ?? null;
    else if (arg === '--stop') return 0;
    else if (arg === '--start' || arg === '--verbose') continue;
    else {
      context.stderr.write(
        `Usage: tegrastats [-option]\nOptions:\n\t--interval <millisec>\n\t--logfile <filename>\n\t--start\n\t--stop\n\t--verbose\n`,
      );
      return 1;
    }
  }
  if (!Number.isFinite(interval) || interval < 1) interval = 1000;
  const board = context.session.board;
  const release = board.retain();
  const target = logfile ? resolveHost(context, logfile) : null;
  let lines = 0;
  try {
    while (!context.signal.aborted) {
      const stopAfter = board.faults.settings.tegrastatsStopAfterLines;
      if (stopAfter !== null && lines >= stopAfter) return 1;
      const line = `${formatTegrastats(board.profile, board.snapshot())}\n`;
      if (target) appendFileSync(target, line);
      else context.stdout.write(line);
      lines += 1;
      if (!(await pause(interval, context.signal))) break;
    }
    return 0;
  } finally {
    release();
  }
}

const nvpmodelDenied = [
  'NVPM ERROR: Error opening /sys/devices/system/cpu/cpu0/online: 13',
  'NVPM ERROR: failed to write PARAM CPU_ONLINE: ARG CORE_0: PATH /sys/devices/system/cpu/cpu0/online',
  'NVPM ERROR: failed to set power mode!',
].join('\n');

async function nvpmodel(context: CommandContext): Promise<number> {
  if (!jetsonOnly(context)) return 127;
  const board = context.session.board;
  const modes = board.profile.nvpmodel;
  const args = context.argv.slice(1);
  const current = board.power.mode;
  if (!modes || !current) {
    context.stderr.write('NVPM ERROR: failed to read config file /etc/nvpmodel.conf\n');
    return 1;
  }
  const verbose = args.includes('--verbose');
  if (args.includes('-q')) {
    if (verbose) {
      println(context.stdout, 'NVPM VERB: Config file: /etc/nvpmodel.conf');
      println(context.stdout, 'NVPM VERB: parsing done for /etc/nvpmodel.conf');
    }
    println(context.stdout, `NV Power Mode: ${current.name}`);
    println(context.stdout, String(current.id));
    if (verbose) {
      for (let core = 0; core < board.profile.cpu.cores; core += 1) {
        const online = core < current.onlineCpus ? 1 : 0;
        println(
          context.stdout,
          `NVPM VERB: PARAM CPU_ONLINE: ARG CORE_${core}: PATH /sys/devices/system/cpu/cpu${core}/online: REAL_VAL: ${online} CONF_VAL: ${online}`,
        );
      }
    }
    return 0;
  }
  if (args.includes('-p')) {
    println(
      context.stdout,
      `NVPM VERB: PM_CONFIG: DEFAULT=${modes.modes.find((mode) => mode.id === modes.defaultId)?.name ?? ''}(${modes.defaultId})`,
    );
    for (const mode of modes.modes) println(context.stdout, `NVPM VERB: POWER_MODEL: ID=${mode.id} NAME=${mode.name}`);
    return 0;
  }
  const modeIndex = args.indexOf('-m');
  if (modeIndex >= 0) {
    const id = Number(args[modeIndex + 1]);
    if (!context.session.root) {
      context.stderr.write(`${nvpmodelDenied}\n`);
      return 1;
    }
    if (!modes.modes.some((mode) => mode.id === id)) {
      context.stderr.write(`NVPM ERROR: Invalid mode ID ${args[modeIndex + 1] ?? ''}\n`);
      return 1;
    }
    board.setPowerMode(id);
    return 0;
  }
  context.stderr.write('Usage: nvpmodel [-m <x>] [-q] [-p] [--verbose]\n');
  return 1;
}

async function jetsonClocks(context: CommandContext): Promise<number> {
  if (!jetsonOnly(context)) return 127;
  const board = context.session.board;
  const args = context.argv.slice(1);
  if (!context.session.root) {
    println(context.stderr, 'Error: Run this script(/usr/bin/jetson_clocks) as a root user');
    return 1;
  }
  if (args.includes('--show')) {
    const mode = board.power.mode;
    const cores = board.profile.cpu.cores;
    const online = mode?.onlineCpus ?? cores;
    const snapshot = board.snapshot();
    println(context.stdout, `SOC family:${board.profile.name.includes('Orin') ? 'tegra234' : 'tegra'}  Machine:${board.profile.model}`);
    println(context.stdout, `Online CPUs: 0-${online - 1}`);
    for (let core = 0; core < cores; core += 1) {
      const cpu = snapshot.cpus[core];
      const max = (mode?.cpuMaxMhz ?? board.profile.cpu.maxMhz) * 1000;
      const min = board.profile.cpu.idleMhz * 1000;
      const currentKhz = cpu ? cpu.mhz * 1000 : 0;
      println(
        context.stdout,
        `cpu${core}: Online=${cpu ? 1 : 0} Governor=schedutil MinFreq=${board.power.jetsonClocks ? max : min} MaxFreq=${max} CurrentFreq=${currentKhz} IdleStates: WFI=1 cpuidle=1`,
      );
    }
    const gpuMax = (mode?.gpuMaxMhz ?? snapshot.gpu.mhz) * 1_000_000;
    println(
      context.stdout,
      `GPU MinFreq=${board.power.jetsonClocks ? gpuMax : 306_000_000} MaxFreq=${gpuMax} CurrentFreq=${snapshot.gpu.mhz * 1_000_000}`,
    );
    println(
      context.stdout,
      `EMC MinFreq=204000000 MaxFreq=${snapshot.emc.mhz * 1_000_000} CurrentFreq=${snapshot.emc.mhz * 1_000_000} FreqOverride=${board.power.jetsonClocks ? 1 : 0}`,
    );
    println(context.stdout, `NV Power Mode: ${mode?.name ?? ''}`);
    return 0;
  }
  board.power.jetsonClocks = !args.includes('--restore');
  return 0;
}

async function nvcc(context: CommandContext): Promise<number> {
  const board = context.session.board;
  const version = board.profile.versions.cuda;
  if (!version || !cudaInstalled(board)) {
    context.stderr.write('bash: nvcc: command not found\n');
    return 127;
  }
  const [major = '12', minor = '0'] = version.split('.');
  println(context.stdout, 'nvcc: NVIDIA (R) Cuda compiler driver');
  println(context.stdout, 'Copyright (c) 2005-2024 NVIDIA Corporation');
  println(context.stdout, 'Built on Wed_Aug_14_10:14:07_PDT_2024');
  println(context.stdout, `Cuda compilation tools, release ${major}.${minor}, V${major}.${minor}.68`);
  println(context.stdout, `Build cuda_${major}.${minor}.r${major}.${minor}/compiler.34714021_0`);
  return 0;
}

export const tegraCommands: Record<string, CommandHandler> = { tegrastats, nvpmodel, jetson_clocks: jetsonClocks, nvcc };
