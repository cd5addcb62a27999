// Package name implied by a lockfile location: the part after the last "node_modules/".
// Returns undefined for locations that are not under node_modules (root, workspaces).
export function nameFromLocation(location: string): string | undefined {
  const marker = 'node_modules/';
  const index = location.lastIndexOf(marker);
  if (index === -1) return undefined;
  const name = location.slice(index + marker.length);
  return isValidPackageName(name) ? name : undefined;
}

// Rejects names that could turn into path tricks ("..", absolute, backslashes, empty segments)
// before any of them is joined onto a directory.
export function isValidPackageName(name: string): boolean {
  const parts = name.split('/');
  if (name.startsWith('@') ? parts.length !== 2 : parts.length !== 1) return false;
  return parts.every((part) => part.length > 0 && part !== '.' && part !== '..' && !/[\\\0\n\r]/.test(part));
}

// Number of node_modules segments in a location: npm runs shallower packages first.
export function depthOf(location: string): number {
  return location === '' ? 0 : location.split('node_modules/').length - 1;
}
