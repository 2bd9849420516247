/**
 * `.jwb-sim/lib.sh`, sourced by the simulated flash scripts: their settings
 * (written by createSimulatedL4t), tegraflash's `[   0.0295 ]` clock
 * (flashing-and-installing.md §2.6 b), the fake sysfs scan NVIDIA's scripts do
 * (`idVendor` 0955 + an APX `idProduct`, port `busnum-devpath`, §2.5), the
 * failure lines of §2.6 f and g, and `flashed.json` for the simulator.
 * Written with String.raw: no `${` (it would be TypeScript's), no backticks.
 */
export const libSh = String.raw`# Simulated by Jetson Workbench (src/sim/l4t). Sourced, not run.
SIM_DIR="$L4T_DIR/.jwb-sim"
read -r USB_DEVICES < "$SIM_DIR/usb-devices-folder"
read -r OUTCOME < "$SIM_DIR/outcome"
read -r TICK < "$SIM_DIR/tick-seconds"
read -r BOARD_BOOTS < "$SIM_DIR/board-boots"
. "$L4T_DIR/nv_tegra/bsp_version"
CLOCK=0
DEVICE_DIR=
USB_PORT=

# One tick of the simulated clock per call (scaled by the speed option); "pause 3" waits three.
pause() {
  local n=1
  [ -n "$1" ] && n=$1
  while [ "$n" -gt 0 ]; do
    [ "$TICK" = 0 ] || sleep "$TICK"
    n=$((n - 1))
  done
}

# tegraflash's stamp: seconds with four decimals, the integer part four wide (§2.6 b, c).
stamp_text() {
  CLOCK=$((CLOCK + 137 + RANDOM % 900))
  printf -v STAMPED '[%4d.%04d ] %s' $((CLOCK / 10000)) $((CLOCK % 10000)) "$*"
}

stamp() {
  stamp_text "$*"
  printf '%s\n' "$STAMPED"
}

# The bar is redrawn in place with a carriage return; the 100% line ends it (§2.6 c).
bar() {
  stamp_text '[................                                ]  33%'
  printf '%s\r' "$STAMPED"
  pause
  stamp_text '[................................................] 100%'
  printf '%s\n' "$STAMPED"
}

banner() {
  echo '**********************************************'
  echo '*                                            *'
  printf '*  %-41s *\n' "$1"
  echo '*                                            *'
  echo '**********************************************'
}

# flash.sh's header (§2.6 b).
print_header() {
  echo '###############################################################################'
  echo '# L4T BSP Information:'
  echo "# R$BSP_BRANCH , REVISION: $BSP_MAJOR.$BSP_MINOR"
  echo '###############################################################################'
  echo '# Target Board Information:'
  echo "# Name: $1, Board Family: $JWB_SIM_FAMILY, SoC: $JWB_SIM_SOC, "
  echo '# OpMode: production, Boot Authentication: NS, '
  echo '###############################################################################'
}

# The first NVIDIA device in recovery (APX) in the fake sysfs, or the one at port $1 (§2.5).
find_recovery_device() {
  local dir vid pid busnum devpath port
  for dir in "$USB_DEVICES"/*; do
    [ -f "$dir/idVendor" ] && [ -f "$dir/idProduct" ] || continue
    read -r vid < "$dir/idVendor"
    read -r pid < "$dir/idProduct"
    [ "$vid" = 0955 ] || continue
    grep -qx "$pid" "$SIM_DIR/apx-ids" || continue
    busnum=
    devpath=
    [ -f "$dir/busnum" ] && read -r busnum < "$dir/busnum"
    [ -f "$dir/devpath" ] && read -r devpath < "$dir/devpath"
    port="$busnum-$devpath"
    [ -z "$1" ] || [ "$1" = "$port" ] || continue
    DEVICE_DIR=$dir
    USB_PORT=$port
    return 0
  done
  return 1
}

# Verbatim from flash.sh (§2.1).
probe_failed() {
  echo 'Error: probing the target board failed.'
  echo '       Make sure the target board is connected through'
  echo '       USB port and is in recovery mode.'
  exit 1
}

# The board re-enumerates: 7035 while the initrd kernel flashes (§2.2), 7020 once L4T runs (§2.5).
set_product() {
  printf '%s\n' "$1" > "$DEVICE_DIR/idProduct"
  printf '%s\n' "$2" > "$DEVICE_DIR/product"
}

# After a flash the board reboots into L4T (0955:7020), or, simulating §2.6 k, stays dark: gone from USB.
board_rebooted() {
  if [ "$BOARD_BOOTS" = yes ]; then
    set_product 7020 'Linux for Tegra'
  else
    rm -rf "$DEVICE_DIR"
  fi
}

# The outcomes that fail at the Boot ROM handshake print §2.6 f or g and stop there.
bootrom_outcome() {
  case "$OUTCOME" in
    bootrom-failure)
      stamp "tegrarcm_v2 --chip $JWB_SIM_CHIP --rcm rcm_list_signed.xml --skipuid"
      stamp 'RCM version 0X8'
      pause
      stamp 'Boot Rom communication failed'
      stamp ''
      echo 'Error: Return value 3'
      echo "Command tegrarcm_v2 --chip $JWB_SIM_CHIP --rcm rcm_list_signed.xml --skipuid"
      echo 'Reading board information failed.'
      exit 1
      ;;
    usb-timeout)
      stamp "tegrarcm_v2 --instance $USB_PORT --chip $JWB_SIM_CHIP 0 --ismb2applet"
      stamp 'File rcm_state open failed'
      stamp 'ERROR: failed to read rcm_state'
      stamp 'Sending bct_br'
      pause 2
      stamp 'ERROR: might be timeout in USB write.'
      echo 'Error: Return value 3'
      exit 1
      ;;
  esac
}

# "name file" for every partition of a layout XML.
partition_list() {
  awk '/<partition name=/ { match($0, /name="[^"]*"/); name = substr($0, RSTART + 6, RLENGTH - 7) }
    /<filename>/ { file = $0; gsub(/.*<filename>[ ]*|[ ]*<\/filename>.*/, "", file) }
    /<\/partition>/ { print name, file; name = ""; file = "" }' "$1"
}

# The storage a rootdev means for this board config (JWB_SIM_STORAGES="mmcblk0p1:sd internal:qspi").
storage_of() {
  local pair
  for pair in $JWB_SIM_STORAGES; do
    case "$pair" in "$1":*) echo "$pair" | cut -d: -f2; return ;; esac
  done
  echo unknown
}

json_string() {
  printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr -d '\000-\037')"
}

json_or_null() {
  if [ -n "$1" ]; then json_string "$1"; else printf 'null'; fi
}

# What the simulator needs to bring the flashed board up: the first login user of the rootfs
# (uid 1000-59999), its authorized_keys, the hostname, and whether oem-config still runs.
write_flashed() {
  local rootfs="$L4T_DIR/rootfs" user home hostname oem=false first=1 line keys
  user=$(awk -F: '$3 >= 1000 && $3 < 60000 { print $1; exit }' "$rootfs/etc/passwd")
  home=$(awk -F: '$3 >= 1000 && $3 < 60000 { print $6; exit }' "$rootfs/etc/passwd")
  hostname=
  [ -f "$rootfs/etc/hostname" ] && read -r hostname < "$rootfs/etc/hostname"
  [ -L "$rootfs/etc/systemd/system/default.target" ] && oem=true
  keys="$rootfs$home/.ssh/authorized_keys"
  {
    printf '{\n  "boardConfig": %s,\n  "rootdev": %s,\n' "$(json_string "$1")" "$(json_string "$2")"
    printf '  "storage": %s,\n  "script": %s,\n' "$(json_string "$3")" "$(json_string "$4")"
    printf '  "release": %s,\n  "usbPort": %s,\n' "$(json_string "R$BSP_BRANCH.$BSP_MAJOR.$BSP_MINOR")" "$(json_string "$USB_PORT")"
    printf '  "user": %s,\n  "hostname": %s,\n' "$(json_or_null "$user")" "$(json_or_null "$hostname")"
    printf '  "oemConfig": %s,\n  "flashedAt": %s,\n  "authorizedKeys": [' "$oem" "$(json_string "$(date -u +%Y-%m-%dT%H:%M:%SZ)")"
    if [ -n "$home" ] && [ -f "$keys" ]; then
      while IFS= read -r line || [ -n "$line" ]; do
        case "$line" in '' | '#'*) continue ;; esac
        [ "$first" = 1 ] || printf ', '
        first=0
        json_string "$line"
      done < "$keys"
    fi
    printf ']\n}\n'
  } > "$SIM_DIR/flashed.json.tmp"
  mv "$SIM_DIR/flashed.json.tmp" "$SIM_DIR/flashed.json"
}
`;
