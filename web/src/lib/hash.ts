/** SHA-256 in the browser (Web Crypto), as lowercase hex. */
export async function sha256Hex(data: BufferSource | string): Promise<string> {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    return toHex(await crypto.subtle.digest('SHA-256', bytes));
}

export async function sha256Bytes(data: BufferSource | string): Promise<Uint8Array<ArrayBuffer>> {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

export function toHex(buffer: ArrayBuffer | Uint8Array): string {
    return [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export function fromHex(hex: string): Uint8Array<ArrayBuffer> {
    const bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) {
        bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    }
    return bytes;
}

/** A file's SHA-256, read in the browser: the file never leaves it. */
export async function hashFile(file: Blob): Promise<string> {
    return sha256Hex(await file.arrayBuffer());
}
