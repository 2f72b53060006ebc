import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';

/** Where a chaincode server listens, as the peer's external builder reads it from `connection.json`. */
export interface ChaincodeServerAddress {
    /** `host:port` the peers dial. */
    address: string;
    /** Default 10 s. */
    dialTimeout?: string;
}

/** A chaincode-as-a-service install package and the id a peer gives it. */
export interface CcaasPackage {
    bytes: Buffer;
    /** `label:sha256(bytes)`, as `peer lifecycle chaincode calculatepackageid` prints it. */
    packageId: string;
    label: string;
}

/**
 * A chaincode-as-a-service install package: `metadata.json` (`"type": "ccaas"`, which our external
 * builder detects) and `code.tar.gz` holding `connection.json`. Reproducible — sorted names, fixed
 * times and owners, gzip without a timestamp — so the same label and address always give the same
 * package id, the id the chaincode server must register with.
 *
 * ```ts
 * const { bytes, packageId } = await ccaasPackage('zhelian', { address: '127.0.0.1:9050' });
 * ```
 */
export async function ccaasPackage(label: string, server: ChaincodeServerAddress): Promise<CcaasPackage> {
    const connection = { address: server.address, dial_timeout: server.dialTimeout ?? '10s', tls_required: false };
    const code = await tarGz({ 'connection.json': JSON.stringify(connection, null, 2) });
    const bytes = await tarGz({ 'code.tar.gz': code, 'metadata.json': JSON.stringify({ type: 'ccaas', label }) });
    return { bytes, label, packageId: `${label}:${createHash('sha256').update(bytes).digest('hex')}` };
}

async function tarGz(files: Record<string, string | Buffer>): Promise<Buffer> {
    const tar = pack();
    const chunks: Buffer[] = [];
    tar.on('data', (chunk) => chunks.push(chunk as Buffer));
    const done = new Promise<void>((resolve, reject) => {
        tar.on('end', resolve);
        tar.on('error', reject);
    });
    for (const name of Object.keys(files).sort()) {
        const content = Buffer.from(files[name]);
        tar.entry(
            { name, size: content.length, mode: 0o644, mtime: new Date(0), uid: 0, gid: 0, type: 'file' },
            content,
        );
    }
    tar.finalize();
    await done;
    return gzipSync(Buffer.concat(chunks), { level: 9 });
}
