import { createPrivateKey, createPublicKey, type KeyObject, X509Certificate } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CorruptCredentialsError } from './errors';

/** A certificate and its private key, both PEM (the key as PKCS#8). */
export interface Credentials {
    certificate: string;
    privateKey: string;
    /** The private key parsed, when whoever made or read these had to: parsing a PEM key costs about 0.5 ms. */
    key?: KeyObject;
}

const CERT_FILE = 'cert.pem';
const KEY_FILE = 'key.pem';

/**
 * Reads `cert.pem` and `key.pem` from `dir`. Undefined when either file is absent (nothing
 * persisted yet); a CorruptCredentialsError when they exist but the key does not belong to
 * the certificate, so a damaged data dir is reported instead of producing bad signatures.
 */
export async function readCredentials(dir: string): Promise<Credentials | undefined> {
    const [certificate, privateKey] = await Promise.all([
        readOptional(join(dir, CERT_FILE)),
        readOptional(join(dir, KEY_FILE)),
    ]);
    if (certificate === undefined || privateKey === undefined) {
        return undefined;
    }
    const key = assertMatchingPair(dir, { certificate, privateKey });
    return { certificate, privateKey, key };
}

/** Reads only the private key, for re-issuing a certificate to the same key. */
export async function readPrivateKey(dir: string): Promise<string | undefined> {
    return readOptional(join(dir, KEY_FILE));
}

/** Writes both files; each through a rename so a crash never leaves half a PEM behind. */
export async function writeCredentials(dir: string, credentials: Credentials): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeAtomically(join(dir, KEY_FILE), credentials.privateKey, 0o600);
    await writeAtomically(join(dir, CERT_FILE), credentials.certificate, 0o644);
}

/** The parsed private key, once it is known to belong to the certificate. */
function assertMatchingPair(dir: string, credentials: Credentials): KeyObject {
    let certificateKey: string;
    let privateKeysPublicKey: string;
    let key: KeyObject;
    try {
        certificateKey = new X509Certificate(credentials.certificate).publicKey.export({
            type: 'spki',
            format: 'pem',
        }) as string;
        key = createPrivateKey(credentials.privateKey);
        privateKeysPublicKey = createPublicKey(key).export({
            type: 'spki',
            format: 'pem',
        }) as string;
    } catch (error) {
        throw new CorruptCredentialsError(dir, 'the PEM files do not parse', { cause: error });
    }
    if (certificateKey !== privateKeysPublicKey) {
        throw new CorruptCredentialsError(dir, 'the private key does not belong to the certificate');
    }
    return key;
}

async function readOptional(path: string): Promise<string | undefined> {
    try {
        return await readFile(path, 'utf8');
    } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
            return undefined;
        }
        throw error;
    }
}

async function writeAtomically(path: string, content: string, mode: number): Promise<void> {
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, content, { mode });
    await rename(temporary, path);
}
