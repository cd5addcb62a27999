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

// One path the sandbox's copy-on-write layer holds as changed (absolute, as seen inside the
// sandbox), as the container engine (docker diff) or the kernel (bwrap's overlay) keeps it: an
// account of the hook's writes made apart from its trace.
export interface LayerChange {
  path: string;
  kind: 'added' | 'modified' | 'deleted';
}
