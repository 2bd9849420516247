/**
 * The simulated `tools/l4t_create_default_user.sh`, behaving like NVIDIA's
 * (flashing-and-installing.md §4.2): the verbatim usage, root only
 * (`ERROR: please run as sudo or root user`), a valid rootfs
 * (`ERROR: not a valid rootfs directory`), the EULA unless
 * `--accept-license`, the user in passwd/shadow/group with the groups
 * sudo,video,audio,adm,render,weston-launch and an `openssl passwd -1` hash,
 * the hostname, autologin drop-ins with `-a`, and default.target removed so
 * oem-config does not run. The real script copies qemu-aarch64-static into
 * the rootfs and runs useradd in a chroot; this one edits the files itself,
 * so it needs no qemu and no arm64 rootfs.
 */
export const createDefaultUserSh = String.raw`#!/bin/bash
# Simulated l4t_create_default_user.sh (Jetson Workbench, src/sim/l4t).
script_name=$(basename "$0")
L4T_DIR=$(cd "$(dirname "$0")/.." && pwd)
rootfs_dir="$L4T_DIR/rootfs"
user_name=nvidia
password=
auto_login=false
hostname=tegra-ubuntu
accept_license=false

usage() {
  echo 'Usage:'
  echo "$script_name [-u <username>] [-p <password>] [-a] [-h]"
  printf '\t-u | --username\t- If not specified then default will be set to '"'"'nvidia'"'"'.\n'
  printf '\t-p | --password\t- If not set then randomized password will be generated.\n'
  printf '\t-a | --autologin - If specified autologin will be enabled. Default is disabled\n'
  printf '\t-n | --hostname - If not specified then default will be set to '"'"'tegra-ubuntu'"'"'.\n'
  printf '\t-h | --help - print usage\n'
  printf '\t     --accept-license - Specified to accept the terms and conditions of EULA\n'
}

while [ $# -gt 0 ]; do
  case "$1" in
    -u | --username) user_name=$2; shift 2 ;;
    -p | --password) password=$2; shift 2 ;;
    -a | --autologin) auto_login=true; shift ;;
    -n | --hostname) hostname=$2; shift 2 ;;
    -h | --help) usage; exit 0 ;;
    --accept-license) accept_license=true; shift ;;
    *) echo "ERROR: Invalid parameter: $1"; usage; exit 1 ;;
  esac
done

if [ "$(id -u)" != 0 ]; then
  echo 'ERROR: please run as sudo or root user'
  exit 1
fi
if [ ! -f "$rootfs_dir/etc/passwd" ] || [ ! -f "$rootfs_dir/etc/group" ] || [ ! -f "$rootfs_dir/etc/shadow" ]; then
  echo 'ERROR: not a valid rootfs directory'
  exit 1
fi
case "$user_name" in '' | *[!a-z0-9_-]* | [!a-z_]*) echo "ERROR: invalid username $user_name"; exit 1 ;; esac
case "$hostname" in '' | *[!A-Za-z0-9-]*) echo "ERROR: invalid hostname $hostname"; exit 1 ;; esac

if [ "$accept_license" != true ]; then
  # The real script shows the EULA in whiptail and stops unless it is accepted; there is no terminal here.
  echo 'NVIDIA Jetson Software License Agreement: the terms must be accepted to create the user.'
  echo 'ERROR: EULA was not accepted. Read it and run again with --accept-license.'
  exit 1
fi
if grep -q "^$user_name:" "$rootfs_dir/etc/passwd"; then
  echo "useradd: user '$user_name' already exists"
  exit 1
fi
if [ -z "$password" ]; then
  password=$(tr -dc 'A-Za-z0-9' < /dev/urandom | head -c 10)
  echo "Password for $user_name is generated: $password"
fi
hash=$(printf '%s\n' "$password" | openssl passwd -1 -stdin) || { echo 'ERROR: openssl passwd failed'; exit 1; }

uid=$(awk -F: 'BEGIN { m = 999 } $3 >= 1000 && $3 < 60000 && $3 > m { m = $3 } END { print m + 1 }' "$rootfs_dir/etc/passwd")
gid=$(awk -F: 'BEGIN { m = 999 } $3 >= 1000 && $3 < 60000 && $3 > m { m = $3 } END { print m + 1 }' "$rootfs_dir/etc/group")
printf '%s:x:%s:%s:%s,,,:/home/%s:/bin/bash\n' "$user_name" "$uid" "$gid" "$user_name" "$user_name" >> "$rootfs_dir/etc/passwd"
printf '%s:x:%s:\n' "$user_name" "$gid" >> "$rootfs_dir/etc/group"
printf '%s:%s:%s:0:99999:7:::\n' "$user_name" "$hash" "$(($(date +%s) / 86400))" >> "$rootfs_dir/etc/shadow"
for group in sudo video audio adm render weston-launch; do
  sed -i -e "s/^\($group:[^:]*:[^:]*:..*\)$/\1,$user_name/" -e t -e "s/^\($group:[^:]*:[^:]*:\)$/\1$user_name/" "$rootfs_dir/etc/group"
done
mkdir -p "$rootfs_dir/home/$user_name"
chown "$uid:$gid" "$rootfs_dir/home/$user_name"
chmod 750 "$rootfs_dir/home/$user_name"

printf '%s\n' "$hostname" > "$rootfs_dir/etc/hostname"
if grep -q '^127\.0\.1\.1' "$rootfs_dir/etc/hosts"; then
  sed -i "s/^127\.0\.1\.1.*/127.0.1.1\t$hostname/" "$rootfs_dir/etc/hosts"
else
  printf '127.0.1.1\t%s\n' "$hostname" >> "$rootfs_dir/etc/hosts"
fi

if [ "$auto_login" = true ]; then
  for unit in serial-getty@ttyS0 serial-getty@ttyTCU0 serial-getty@ttyAMA0 getty@tty1; do
    mkdir -p "$rootfs_dir/etc/systemd/system/$unit.service.d"
    printf '[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin %s --noclear %%I $TERM\n' "$user_name" \
      > "$rootfs_dir/etc/systemd/system/$unit.service.d/autologin.conf"
  done
fi

# remove default.target symlink to bypass oem config setup
rm -f "$rootfs_dir/etc/systemd/system/default.target"
echo "Created user $user_name (groups sudo,video,audio,adm,render,weston-launch), hostname $hostname"
exit 0
`;

/** The simulated `tools/l4t_flash_prerequisites.sh`: says what NVIDIA's installs (§2.2, §4.2), installs nothing. */
export const prerequisitesSh = String.raw`#!/bin/bash
# Simulated l4t_flash_prerequisites.sh (Jetson Workbench, src/sim/l4t): this host is left as it is.
echo 'Simulated Linux_for_Tegra: NVIDIA'"'"'s script would run:'
echo 'sudo apt-get install -y libxml2-utils simg2img abootimg sshpass nfs-kernel-server zstd xmlstarlet qemu-user-static'
echo 'Nothing was installed.'
exit 0
`;
