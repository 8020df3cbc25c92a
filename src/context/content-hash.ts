/**
 * The content hash of a context document: SHA-256 of its canonical JSON (RFC 8785, by the
 * `json-canonicalize` package; docs/decisions/0001-json-canonicalization.md says why) without the
 * volatile fields — when and why it was built, by which app version, and the hash itself. Equal content ⇒ equal hash, whatever the key
 * order or the time of the sync; that is what lets the app skip unchanged pushes.
 */
import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { ContextDocument } from './schema';

export type HashableDocument = Omit<ContextDocument, 'contentHash'>;

export function canonicalJson(value: unknown): string {
  const text: unknown = canonicalize(value);
  if (typeof text !== 'string') throw new TypeError('The value has no JSON representation');
  return text;
}

export function contentHashOf(document: HashableDocument | ContextDocument): string {
  const { source, ...rest } = document;
  const { syncedAt: _syncedAt, trigger: _trigger, appVersion: _appVersion, ...stableSource } = source;
  const { contentHash: _hash, ...content } = rest as typeof rest & { contentHash?: string };
  return createHash('sha256')
    .update(canonicalJson({ ...content, source: stableSource }), 'utf8')
    .digest('hex');
}

/** Serialized size in bytes (what SQAI and Forge count). */
export const byteSize = (value: unknown): number => Buffer.byteLength(JSON.stringify(value), 'utf8');
