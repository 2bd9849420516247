/**
 * The simulated `tools/kernel_flash/l4t_initrd_flash.sh`: the boxed
 * `Step N:` banners, the RCM boot, the board re-enumerating as 0955:7035,
 * `Waiting for target to boot-up...`, `SSH ready`, the board-side
 * `Writing X partition with Y` lines for the QSPI and the external layout
 * (`--showlogs`), `Flashing success` and the host's log line
 * (flashing-and-installing.md §2.2, §2.6 h). Host prerequisites are not
 * checked: the workbench's host checks do that, and tests run without them.
 */
export const initrdFlashSh = String.raw`#!/bin/bash
# Simulated l4t_initrd_flash.sh (Jetson Workbench, src/sim/l4t): the shapes of NVIDIA's log, no device touched.
L4T_DIR=$(cd "$(dirname "$0")/../.." && pwd)
. "$L4T_DIR/.jwb-sim/lib.sh"

usage() {
  echo 'Usage: sudo ./tools/kernel_flash/l4t_initrd_flash.sh [--external-device <dev> -c <cfg>] [-p <flash.sh options>]'
  echo '       [--showlogs] [--network usb0] [--usb-instance <port>] <board> <rootdev>'
  exit 1
}

external=
config=
options=
usb_instance=
showlogs=0
while [ $# -gt 0 ]; do
  case "$1" in
    --external-device) external=$2; shift 2 ;;
    -c) config=$2; shift 2 ;;
    -p) options=$2; shift 2 ;;
    --usb-instance) usb_instance=$2; shift 2 ;;
    --network | --massflash | -k | -S) shift 2 ;;
    --showlogs) showlogs=1; shift ;;
    --no-flash | --flash-only | --external-only | --initrd) shift ;;
    -*) echo "Error: unknown option $1"; usage ;;
    *) break ;;
  esac
done
[ $# -eq 2 ] || usage
board=$1
rootdev=$2
if [ ! -f "$L4T_DIR/$board.conf" ]; then
  echo "Error: Invalid target board - $board."
  exit 1
fi
LDK_DIR=$L4T_DIR
. "$L4T_DIR/$board.conf"
qspi_config=$(printf '%s' "$options" | sed -n 's/.*-c \([^ ]*\).*/\1/p')
for file in "$config" "$qspi_config"; do
  if [ -n "$file" ] && [ ! -f "$L4T_DIR/$file" ]; then
    echo "Error: $file is not found"
    exit 1
  fi
done

banner 'Step 1: Generate flash packages'
print_header "$board"
echo 'Create folder to store images to flash'
pause 2
echo 'Generate image for internal storage devices'
pause 2
[ -n "$external" ] && echo 'Generate image for external storage devices' && pause 2
banner 'Step 2: Generate rcm boot commandline'
pause
banner 'Step 3: Start the flashing process'
if [ "$OUTCOME" = no-device ] || ! find_recovery_device "$usb_instance"; then
  probe_failed
fi
echo 'Mounting NFS folder  from this host'
stamp 'Boot Rom communication'
bootrom_outcome
stamp 'Boot Rom communication completed'
for part in bct_br mb1 psc_bl1 bct_mb1 mb2_applet mem_rcm blob kernel kernel-dtb; do
  stamp "Sending $part"
  bar
done
set_product 7035 'Jetson initrd flashing'
for attempt in 1 2 3; do
  echo 'Waiting for target to boot-up...'
  pause 2
done
echo 'Waiting for device to expose ssh ......'
pause
echo 'SSH ready'
echo 'Run command: flash on fc00:1:1:0::2'
if [ "$showlogs" = 1 ]; then
  echo 'Starting to flash to qspi'
  while read -r name file; do
    echo "Writing $name partition with $file"
    pause
  done < <(partition_list "$L4T_DIR/$qspi_config")
  echo 'Successfully flash the qspi'
  if [ -n "$external" ] && [ -n "$config" ]; then
    echo 'Starting to flash to external device'
    while read -r name file; do
      echo "Writing $name partition with $file"
      pause
    done < <(partition_list "$L4T_DIR/$config")
    echo 'Successfully flash the external device'
  fi
  echo 'Flashing success'
  echo 'Flash is successful'
  echo 'Reboot device'
else
  pause 20
fi
echo 'Cleaning up...'
mkdir -p "$L4T_DIR/initrdlog"
log="initrdlog/flash_$USB_PORT"_0_"$(date +%Y%m%d-%H%M%S).log"
echo "Simulated initrd flash of $board ($external $rootdev)" > "$L4T_DIR/$log"
echo "Log is saved to Linux_for_Tegra/$log "
board_rebooted
if [ -n "$external" ]; then storage=$(storage_of "$external"); else storage=$(storage_of "$rootdev"); fi
write_flashed "$board" "$rootdev" "$storage" l4t_initrd_flash.sh
exit 0
`;
