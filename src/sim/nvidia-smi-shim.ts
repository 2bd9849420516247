/**
 * nvidia-smi for what the simulated desktop GPU host runs for real. The agent runs in the host's
 * real python3 (confine.ts), so its `nvidia-smi` is a real program on PATH, out of reach of the
 * simulated shell's `nvidia-smi` command, and the host has no NVIDIA driver. The board therefore
 * carries a small POSIX-shell `nvidia-smi` in its own /usr/local/bin (the host lends /usr/bin, not
 * /usr/local), and on every tick the power model's values are written to `run/jwb-sim-nvidia-smi`,
 * one `field=value` a line: the same values, with the same formatting, as the simulated shell's
 * nvidia-smi prints (formatNvidiaSmiCsv). The script answers only the CSV query form
 * (`--query-gpu=… --format=csv,noheader,nounits`); nothing else of nvidia-smi is imitated.
 */
import type { BoardSnapshot, SimProfile } from './model.ts';
import { formatNvidiaSmiCsv, nvidiaSmiQueryFields } from './tegrastats-format.ts';

/** Board paths, relative to the board's `/`. */
export const nvidiaSmiProgram = 'usr/local/bin/nvidia-smi';
export const nvidiaSmiValues = 'run/jwb-sim-nvidia-smi';

/** `power.draw=15.06\nutilization.gpu=0\n…` for this snapshot. */
export function nvidiaSmiValuesFile(profile: SimProfile, snapshot: BoardSnapshot): string {
  const values = formatNvidiaSmiCsv(profile, snapshot).split(', ');
  return nvidiaSmiQueryFields.map((field, index) => `${field}=${values[index]}\n`).join('');
}

// The values file is found under $JWB_SIM_ROOT, the board's `/` as the program sees it (python3 sets it).
export const nvidiaSmiScript = `#!/bin/sh
# nvidia-smi of a simulated desktop GPU host (Jetson Workbench, src/sim/nvidia-smi-shim.ts).
# Answers --query-gpu=FIELD,... --format=csv,noheader,nounits from the simulator's power model.
values="\${JWB_SIM_ROOT:-/}/${nvidiaSmiValues}"
query=''
format=''
for arg in "$@"; do
  case "$arg" in
    --query-gpu=*) query="\${arg#--query-gpu=}" ;;
    --format=*) format="\${arg#--format=}" ;;
    --id=0) ;;
    *) echo "nvidia-smi (simulated): only --query-gpu=... --format=csv,noheader,nounits [--id=0] is answered, not $arg" >&2; exit 2 ;;
  esac
done
if [ -z "$query" ] || [ "$format" != 'csv,noheader,nounits' ]; then
  echo 'nvidia-smi (simulated): only --query-gpu=... --format=csv,noheader,nounits is answered' >&2
  exit 2
fi
if [ ! -r "$values" ]; then
  echo 'No devices were found' >&2
  exit 6
fi
line=''
IFS=,
for field in $query; do
  value=''
  while IFS='=' read -r name current; do
    if [ "$name" = "$field" ]; then value="$current"; fi
  done < "$values"
  if [ -z "$value" ]; then
    echo "Field \\"$field\\" is not a valid field to query." >&2
    exit 2
  fi
  line="\${line:+$line, }$value"
done
echo "$line"
`;
