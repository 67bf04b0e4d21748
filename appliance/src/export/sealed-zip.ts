import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';

export interface ManifestFile {
  name: string;
  bytes: number;
  sha256: string;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
export const jsonBytes = (value: unknown): Uint8Array => strToU8(`${JSON.stringify(value, null, 2)}\n`);

/**
 * A zip whose content can be checked: `files`, then manifest.json (made by `manifest` from each
 * file's size and SHA-256) and SHA256SUMS (`sha256sum -c` format, covering the manifest too). Every
 * entry carries `createdAt` as its time, not the zip library's clock, so the same content makes the
 * same zip.
 */
export function sealedZip(files: ReadonlyMap<string, Uint8Array>, manifest: (files: ManifestFile[]) => unknown, createdAt: number): Uint8Array {
  const all = new Map(files);
  all.set('manifest.json', jsonBytes(manifest([...files].map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: sha256Hex(bytes) })))));
  all.set('SHA256SUMS', strToU8([...all].map(([name, bytes]) => `${sha256Hex(bytes)}  ${name}\n`).join('')));
  const mtime = new Date(createdAt);
  return zipSync(Object.fromEntries([...all].map(([name, bytes]) => [name, [bytes, { mtime }]])));
}
