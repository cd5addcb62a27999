import path from 'node:path';

// Files whose mere reading is evidence of credential theft: registry tokens, SSH keys, cloud
// and CLI credentials, git credentials, other processes' environments. The list follows what
// the 2025 Shai-Hulud and s1ngularity stealers and older npm stealers went after.
const SENSITIVE_BASENAMES = new Set(['.npmrc', '.yarnrc', '.yarnrc.yml', '.netrc', '.git-credentials', '.pypirc', '.env', 'id_rsa', 'id_ed25519', 'id_ecdsa', 'id_dsa']);

const SENSITIVE_SEGMENTS = [/(^|\/)\.ssh(\/|$)/, /(^|\/)\.aws(\/|$)/, /(^|\/)\.config\/gh(\/|$)/, /(^|\/)\.docker\/config\.json$/, /(^|\/)\.kube\/config$/, /(^|\/)\.config\/gcloud(\/|$)/, /(^|\/)\.azure(\/|$)/, /(^|\/)\.gnupg(\/|$)/, /(^|\/)\.git\/config$/, /(^|\/)\.bash_history$/];

export function isSensitivePath(file: string): boolean {
  const base = path.posix.basename(file);
  if (SENSITIVE_BASENAMES.has(base) || /^\.env\./.test(base)) return true;
  // Another process's environment or memory; every runtime reads its own maps and cmdline.
  if (/^\/proc\/\d+\/(environ|mem)$/.test(file)) return true;
  if (file === '/etc/shadow' || file === '/etc/gshadow' || file.startsWith('/etc/ssh/') || file === '/var/run/docker.sock' || file === '/run/docker.sock') return true;
  return SENSITIVE_SEGMENTS.some((pattern) => pattern.test(file));
}
