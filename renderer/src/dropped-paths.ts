// What a drop onto the trust wizard means, from the file names the QMC export uses: the export folder,
// the three PEM files, or a PFX (with root.pem beside it when dropped together).
import type { CertificateInput } from '../../shared/certificates';

function baseName(path: string): string {
  return (path.split(/[\\/]/).pop() ?? path).toLowerCase();
}

export function inputFromDroppedPaths(paths: string[]): CertificateInput | undefined {
  const byName = new Map(paths.map((p) => [baseName(p), p]));
  const pfx = paths.find((p) => baseName(p).endsWith('.pfx') || baseName(p).endsWith('.p12'));
  const root = byName.get('root.pem');
  if (pfx) return root ? { kind: 'pfx', pfxPath: pfx, caPath: root } : { kind: 'pfx', pfxPath: pfx };
  const cert = byName.get('client.pem');
  const key = byName.get('client_key.pem');
  if (cert && key && root) return { kind: 'pem', certPath: cert, keyPath: key, caPath: root };
  // One item that is none of the export's files: the export folder itself (the main process checks).
  if (paths.length === 1 && !baseName(paths[0]!).endsWith('.pem')) return { kind: 'folder', path: paths[0]! };
  return undefined;
}
