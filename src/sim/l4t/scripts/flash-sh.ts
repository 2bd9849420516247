/**
 * The simulated `flash.sh`: `[options] <target_board> <rootdev>` (§2.1), the
 * header, RCM and Boot ROM stages, one `Writing partition X with Y` and
 * `[....] 100%` per partition of the board's layout, and the success footer
 * (flashing-and-installing.md §2.6 a–d), or the failure lines of the chosen
 * outcome (§2.1, §2.6 f, g). It reads the fake sysfs, never a real device.
 */
export const flashSh = String.raw`#!/bin/bash
# Simulated flash.sh (Jetson Workbench, src/sim/l4t): the shapes of NVIDIA's log, no device touched.
L4T_DIR=$(cd "$(dirname "$0")" && pwd)
. "$L4T_DIR/.jwb-sim/lib.sh"

usage() {
  echo 'Usage: sudo ./flash.sh [options] <target_board> <rootdev>'
  echo '  options: --usb-instance <port> --no-flash --rcm-boot -r -k <partition> -S <size> -c <cfg>'
  exit 1
}

usb_instance=
no_flash=0
while [ $# -gt 0 ]; do
  case "$1" in
    --usb-instance) usb_instance=$2; shift 2 ;;
    --no-flash) no_flash=1; shift ;;
    --rcm-boot | -r) shift ;;
    -c | -k | -S | -d | -t | --external-device) shift 2 ;;
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
layout=$(ls "$L4T_DIR"/bootloader/*/cfg/"$EMMC_CFG" 2> /dev/null | head -n 1)

print_header "$board"
if [ "$no_flash" = 1 ]; then
  stamp 'Generating flash images'
  pause 2
  echo '*** no-flash flag enabled. Exiting now... ***'
  exit 0
fi
if [ "$OUTCOME" = no-device ] || ! find_recovery_device "$usb_instance"; then
  probe_failed
fi

echo '*** Flashing target device started. ***'
echo "./tegraflash.py --bl uefi_jetson.bin --bct br_bct_BR.bct --cfg flash.xml --chip $JWB_SIM_CHIP --cmd \"flash;reboot\" "
echo 'Welcome to Tegra Flash'
echo 'version 1.0.0'
echo 'Type ? or help for help and q or quit to exit'
echo 'Use ! to execute system commands'
echo ' '
stamp 'Generating RCM messages'
pause
stamp "tegrarcm_v2 --listrcm rcm_list.xml --chip $JWB_SIM_CHIP 0 --download rcm mb1_recovery.bin 0 0"
stamp 'RCM 0 is saved as rcm_0.rcm'
stamp 'Parsing partition layout'
stamp "tegraparser_v2 --pt $EMMC_CFG.tmp"
pause
stamp 'Boot Rom communication'
bootrom_outcome
stamp "tegrarcm_v2 --chip $JWB_SIM_CHIP 0 --rcm rcm_list_signed.xml --skipuid"
stamp 'RCM version 0X230001'
pause
stamp 'Boot Rom communication completed'
stamp 'Sending bootloader and pre-requisite binaries'
stamp 'tegrarcm_v2 --download blob blob.bin'
stamp 'Applet version 01.00.0000'
stamp 'Sending blob'
bar
stamp 'tegradevflash_v2 --pt flash.xml.bin --create'
while read -r name file; do
  stamp "Writing partition $name with $file"
  bar
done < <(partition_list "$layout")
stamp 'Flashing completed'
echo
stamp 'Coldbooting the device'
stamp 'tegradevflash_v2 --reboot coldboot'
stamp ''
echo "*** The target $JWB_SIM_FAMILY has been flashed successfully. ***"
echo 'Reset the board to boot from internal eMMC.'
board_rebooted
write_flashed "$board" "$rootdev" "$(storage_of "$rootdev")" flash.sh
exit 0
`;
