import { lstatSync, readlinkSync } from 'node:fs';

// What of the host system a hook sees: the OS directories read-only, without the files that
// hold secrets. Hooks run with the invoking user's uid mapped into their namespace, so
// anything visible and owned by that user is readable: hide what is secret, bind nothing else
// (no /root, /home, /var, /run, /mnt, /srv, /media, no docker socket).
const SYSTEM_ROOTS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc', '/opt'];

const SECRET_FILES = [
  '/etc/shadow',
  '/etc/shadow-',
  '/etc/gshadow',
  '/etc/gshadow-',
  '/etc/sudoers',
  '/etc/security/opasswd',
  // npm's global config can carry registry tokens.
  '/etc/npmrc',
  '/usr/etc/npmrc',
  '/usr/local/etc/npmrc',
  '/etc/apt/auth.conf',
];

const SECRET_DIRS = [
  '/etc/ssh',
  '/etc/ssl/private',
  '/etc/sudoers.d',
  '/etc/docker',
  '/etc/containers',
  '/etc/wireguard',
  '/etc/letsencrypt',
  '/etc/apt/auth.conf.d',
  '/etc/NetworkManager/system-connections',
];

export interface SystemView {
  entries: Array<{ path: string; symlinkTo: string | undefined }>;
  maskedFiles: string[];
  maskedDirs: string[];
}

export function systemView(extraSecretFiles: string[] = []): SystemView {
  const entries: SystemView['entries'] = [];
  for (const root of SYSTEM_ROOTS) {
    const info = lstatOrUndefined(root);
    if (!info) continue;
    if (info.isSymbolicLink()) entries.push({ path: root, symlinkTo: readlinkSync(root) });
    else if (info.isDirectory()) entries.push({ path: root, symlinkTo: undefined });
  }
  const maskedFiles = [...SECRET_FILES, ...extraSecretFiles].filter((file) => lstatOrUndefined(file)?.isFile());
  const maskedDirs = SECRET_DIRS.filter((dir) => lstatOrUndefined(dir)?.isDirectory());
  return { entries, maskedFiles: [...new Set(maskedFiles)], maskedDirs };
}

function lstatOrUndefined(file: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(file);
  } catch {
    return undefined;
  }
}
