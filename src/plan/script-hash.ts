import { createHash } from 'node:crypto';

// sha256 of a hook's script text, as "sha256:<hex>", the form the policy pins.
export function scriptSha256(script: string): string {
  return 'sha256:' + createHash('sha256').update(script, 'utf8').digest('hex');
}
