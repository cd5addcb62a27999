// One difference the sandboxed command left in the project's scratch layer.
export interface FileChange {
  // Project-relative, POSIX separators.
  path: string;
  kind: 'added' | 'modified' | 'deleted';
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number | undefined;
  sha256: string | undefined;
  mode: number | undefined;
  linkTarget: string | undefined;
}
