import { createHash } from 'node:crypto';

/**
 * SHA-256 as lowercase hex. Strings are hashed as their UTF-8 bytes.
 *
 * ```ts
 * sha256Hex('abc'); // 'ba7816bf…15ad'
 * ```
 */
export function sha256Hex(data: string | Uint8Array): string {
    return createHash('sha256').update(data).digest('hex');
}
