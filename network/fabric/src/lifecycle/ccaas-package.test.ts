import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { extract } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { ccaasPackage } from './ccaas-package';

async function entries(tarGz: Buffer): Promise<Record<string, Buffer>> {
    const files: Record<string, Buffer> = {};
    const tar = extract();
    await new Promise<void>((resolve, reject) => {
        tar.on('entry', (header, stream, next) => {
            const chunks: Buffer[] = [];
            stream.on('data', (chunk) => chunks.push(chunk as Buffer));
            stream.on('end', () => {
                files[header.name] = Buffer.concat(chunks);
                next();
            });
        });
        tar.on('finish', resolve);
        tar.on('error', reject);
        tar.end(gunzipSync(tarGz));
    });
    return files;
}

describe('chaincode-as-a-service packages', () => {
    it('hold metadata.json and code.tar.gz with connection.json, as the peer and our builder read them', async () => {
        const { bytes, label } = await ccaasPackage('zhelian', { address: '127.0.0.1:9050' });
        const outer = await entries(bytes);
        expect(Object.keys(outer)).toEqual(['code.tar.gz', 'metadata.json']);
        expect(JSON.parse(outer['metadata.json'].toString())).toEqual({ type: 'ccaas', label });
        const code = await entries(outer['code.tar.gz']);
        expect(JSON.parse(code['connection.json'].toString())).toEqual({
            address: '127.0.0.1:9050',
            dial_timeout: '10s',
            tls_required: false,
        });
    });

    it('are reproducible, so the package id the server registers with is the one the peers compute', async () => {
        const first = await ccaasPackage('zhelian', { address: '127.0.0.1:9050' });
        const again = await ccaasPackage('zhelian', { address: '127.0.0.1:9050' });
        expect(again.bytes.equals(first.bytes)).toBe(true);
        expect(first.packageId).toBe(`zhelian:${createHash('sha256').update(first.bytes).digest('hex')}`);
        expect((await ccaasPackage('zhelian', { address: '127.0.0.1:9051' })).packageId).not.toBe(first.packageId);
    });
});
