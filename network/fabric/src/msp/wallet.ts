import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, type IdentityInfo, type IdentityRef, ZhelianError } from '@zhelian/api';
import { certificateHolder, type Enrollment } from './enrollment-issuer';

/** Letters (any script), digits, `_`, `-`, `.` (not first): an enrollment ID that is also a directory name. */
const IDENTITY_NAME = /^[\p{L}\p{N}_-][\p{L}\p{N}_.-]{0,63}$/u;

/**
 * The identities one can act as on a Fabric network: a directory per identity,
 * `<wallet>/<mspId>/<name>/` with `cert.pem` and `key.pem` (mode 600), as `network:up` and
 * `enroll` write them.
 *
 * ```ts
 * const wallet = new Wallet('.fabric/wallet');
 * const { certificate, privateKey } = await wallet.credentials({ mspId: 'MemberMSP', name: 'zheyi' });
 * ```
 */
export class Wallet {
    constructor(readonly dir: string) {}

    async list(): Promise<IdentityInfo[]> {
        const identities: IdentityInfo[] = [];
        for (const mspId of (await entries(this.dir)).sort()) {
            for (const name of (await entries(path.join(this.dir, mspId))).sort()) {
                const certificate = await readFile(path.join(this.dir, mspId, name, 'cert.pem'), 'utf8').catch(
                    () => undefined,
                );
                if (certificate !== undefined) {
                    const holder = certificateHolder(certificate);
                    identities.push({ mspId, name, role: holder.role, attrs: holder.attrs });
                }
            }
        }
        return identities;
    }

    async credentials(identity: IdentityRef): Promise<Enrollment> {
        const dir = this.#dirOf(identity);
        try {
            const [certificate, privateKey] = await Promise.all([
                readFile(path.join(dir, 'cert.pem'), 'utf8'),
                readFile(path.join(dir, 'key.pem'), 'utf8'),
            ]);
            return { certificate, privateKey };
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
                throw new ZhelianError(
                    ErrorCode.UNKNOWN_IDENTITY,
                    `No identity named "${identity.name}" in organization ${identity.mspId}`,
                );
            }
            throw new ZhelianError(ErrorCode.CORRUPT_CREDENTIALS, `Credentials in ${dir} cannot be read`, {
                cause: err,
            });
        }
    }

    async has(identity: IdentityRef): Promise<boolean> {
        return readFile(path.join(this.#dirOf(identity), 'cert.pem')).then(
            () => true,
            () => false,
        );
    }

    /** Stores new credentials; refuses a name the organization already has. */
    async add(identity: IdentityRef, enrollment: Enrollment): Promise<void> {
        const dir = this.#dirOf(identity);
        await mkdir(path.dirname(dir), { recursive: true });
        try {
            await mkdir(dir);
        } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
                throw duplicate(identity);
            }
            throw err;
        }
        await writeFile(path.join(dir, 'key.pem'), enrollment.privateKey, { mode: 0o600 });
        await writeFile(path.join(dir, 'cert.pem'), enrollment.certificate);
    }

    #dirOf({ mspId, name }: IdentityRef): string {
        checkIdentityName(name);
        if (!IDENTITY_NAME.test(mspId)) {
            throw new ZhelianError(
                ErrorCode.UNKNOWN_ORGANIZATION,
                `No organization with MSP ID "${mspId}" on this network`,
            );
        }
        return path.join(this.dir, mspId, name);
    }
}

export function checkIdentityName(name: string): void {
    if (!IDENTITY_NAME.test(name)) {
        throw new ZhelianError(
            ErrorCode.INVALID_IDENTITY_NAME,
            `"${name}" is not a valid identity name: use letters, digits, "_", "-" or "." (not first), at most 64 characters`,
        );
    }
}

export function duplicate({ mspId, name }: IdentityRef): ZhelianError {
    return new ZhelianError(
        ErrorCode.DUPLICATE_IDENTITY,
        `Organization ${mspId} already has an identity named "${name}"`,
    );
}

async function entries(dir: string): Promise<string[]> {
    try {
        return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
            return [];
        }
        throw err;
    }
}
