import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCode, type IdentityInfo, type IdentityRef, ZhelianError } from '@zhelian/api';
import { certificateHolder, type Enrollment } from './enrollment-issuer';

/** Letters (any script), digits, `_`, `-`, `.` (not first): an enrollment ID that is also a directory name. */
const IDENTITY_NAME = /^[\p{L}\p{N}_-][\p{L}\p{N}_.-]{0,63}$/u;

/**
 * The identities one can act as on a Fabric network: a directory per identity,
 * `<wallet>/<mspId>/<name>/` with `cert.pem` and `key.pem` (mode 600), as `network:up` and
 * `enroll` write them. A client may keep its own enrollments apart (`ownDir`), searched first.
 *
 * ```ts
 * const wallet = new Wallet('.fabric/wallet');
 * const { certificate, privateKey } = await wallet.credentials({ mspId: 'MemberMSP', name: 'zheyi' });
 * ```
 */
export class Wallet {
    readonly #dirs: string[];

    /** `ownDir`, when given, receives new identities and is searched before the network's `dir`. */
    constructor(dir: string, ownDir?: string) {
        this.#dirs = ownDir ? [ownDir, dir] : [dir];
    }

    async list(): Promise<IdentityInfo[]> {
        const identities = new Map<string, IdentityInfo>();
        for (const dir of this.#dirs) {
            for (const mspId of await subdirectories(dir)) {
                for (const name of await subdirectories(path.join(dir, mspId))) {
                    const certificate = await readText(path.join(dir, mspId, name, 'cert.pem'));
                    if (certificate !== undefined && !identities.has(`${mspId}:${name}`)) {
                        const holder = certificateHolder(certificate);
                        identities.set(`${mspId}:${name}`, { mspId, name, role: holder.role, attrs: holder.attrs });
                    }
                }
            }
        }
        return [...identities.values()].sort((a, b) => compare(a.mspId, b.mspId) || compare(a.name, b.name));
    }

    async credentials(identity: IdentityRef): Promise<Enrollment> {
        const dir = await this.#find(identity);
        if (!dir) {
            throw new ZhelianError(
                ErrorCode.UNKNOWN_IDENTITY,
                `No identity named "${identity.name}" in organization ${identity.mspId}`,
            );
        }
        const [certificate, privateKey] = await Promise.all([
            readText(path.join(dir, 'cert.pem')),
            readText(path.join(dir, 'key.pem')),
        ]);
        if (certificate === undefined || privateKey === undefined) {
            throw new ZhelianError(ErrorCode.CORRUPT_CREDENTIALS, `Credentials in ${dir} cannot be read`);
        }
        return { certificate, privateKey };
    }

    async has(identity: IdentityRef): Promise<boolean> {
        return (await this.#find(identity)) !== undefined;
    }

    /** Stores new credentials (in the own directory when there is one); refuses a name the organization already has. */
    async add(identity: IdentityRef, enrollment: Enrollment): Promise<void> {
        if (await this.has(identity)) {
            throw duplicate(identity);
        }
        const dir = identityDir(this.#dirs[0], identity);
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

    /** The first directory that holds the identity's certificate. */
    async #find(identity: IdentityRef): Promise<string | undefined> {
        for (const dir of this.#dirs) {
            const candidate = identityDir(dir, identity);
            if ((await readText(path.join(candidate, 'cert.pem'))) !== undefined) {
                return candidate;
            }
        }
        return undefined;
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

function identityDir(dir: string, { mspId, name }: IdentityRef): string {
    checkIdentityName(name);
    if (!IDENTITY_NAME.test(mspId)) {
        throw new ZhelianError(
            ErrorCode.UNKNOWN_ORGANIZATION,
            `No organization with MSP ID "${mspId}" on this network`,
        );
    }
    return path.join(dir, mspId, name);
}

async function readText(file: string): Promise<string | undefined> {
    try {
        return await readFile(file, 'utf8');
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
            return undefined;
        }
        throw err;
    }
}

async function subdirectories(dir: string): Promise<string[]> {
    try {
        return (await readdir(dir, { withFileTypes: true }))
            .filter((entry) => entry.isDirectory())
            .map((entry) => entry.name)
            .sort();
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
            return [];
        }
        throw err;
    }
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
