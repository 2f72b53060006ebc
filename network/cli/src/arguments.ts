import { InvalidArgumentError } from 'commander';
import type { IdentityRef } from '@zhelian/api';

/** `--as MSP:user`, e.g. `MemberMSP:zheyi`. */
export function parseIdentity(value: string): IdentityRef {
    const match = /^([^:]+):(.+)$/.exec(value);
    if (!match) {
        throw new InvalidArgumentError('expected MSP:user, e.g. MemberMSP:zheyi');
    }
    return { mspId: match[1], name: match[2] };
}

/** `--transient JSON`: a JSON object; values that are not strings are passed as their JSON text. */
export function parseTransient(value: string): Record<string, string> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(value);
    } catch {
        throw new InvalidArgumentError('expected a JSON object of strings, e.g. {"patient":"{\\"name\\":\\"张三\\"}"}');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new InvalidArgumentError('expected a JSON object');
    }
    return Object.fromEntries(
        Object.entries(parsed).map(([key, v]) => [key, typeof v === 'string' ? v : JSON.stringify(v)]),
    );
}

/** `--from N`: a block number. */
export function parseBlockNumber(value: string): number {
    if (!/^\d+$/.test(value)) {
        throw new InvalidArgumentError('expected a block number, e.g. 0');
    }
    return Number(value);
}

/** `--limit N`, `--sequence N`: a whole number, 1 or more. */
export function parsePositive(value: string): number {
    if (!/^[1-9]\d*$/.test(value) || !Number.isSafeInteger(Number(value))) {
        throw new InvalidArgumentError('expected a whole number, 1 or more');
    }
    return Number(value);
}

/** `--endorsing-orgs Org1MSP,Org2MSP`: MSP IDs, comma-separated. */
export function parseOrganizations(value: string): string[] {
    const orgs = value.split(',').map((org) => org.trim());
    if (orgs.some((org) => org === '')) {
        throw new InvalidArgumentError('expected MSP IDs separated by commas, e.g. Org1MSP,Org2MSP');
    }
    return orgs;
}

/** A transaction function as the CLI takes it: `contract:function`, or `function` of the default contract. */
export interface TransactionName {
    contract?: string;
    name: string;
}

export function splitTransactionName(fn: string): TransactionName {
    const index = fn.indexOf(':');
    return index < 0 ? { name: fn } : { contract: fn.slice(0, index), name: fn.slice(index + 1) };
}

/** `--port Org1MSP=7051`, repeatable: a peer's port by MSP ID (0 picks a free one). */
export function parsePortAssignment(value: string, previous: Record<string, number> = {}): Record<string, number> {
    const match = /^([A-Za-z][A-Za-z0-9]*MSP)=(\d{1,5})$/.exec(value);
    if (!match || Number(match[2]) > 65535) {
        throw new InvalidArgumentError('expected MSP=port, e.g. Org1MSP=7051');
    }
    return { ...previous, [match[1]]: Number(match[2]) };
}
