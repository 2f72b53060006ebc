import { describe, expect, it } from 'vitest';
import type { Context } from 'fabric-contract-api';
import { canonicalJson } from './json';
import { sha256Hex } from './hash';
import { txTime } from './time';
import { requireRole } from './identity';
import { parseJson, fen } from './input';
import { z } from 'zod';
import { emitEvent } from './events';

function fakeContext(options: { mspId?: string; attrs?: Record<string, string>; seconds?: number } = {}): Context {
    const events: { name: string; payload: Uint8Array }[] = [];
    return {
        stub: {
            getTxTimestamp: () => ({ seconds: { toNumber: () => options.seconds ?? 0 }, nanos: 0 }),
            setEvent: (name: string, payload: Uint8Array) => events.push({ name, payload }),
        },
        clientIdentity: {
            getMSPID: () => options.mspId ?? 'MemberMSP',
            getID: () => 'x509::/CN=someone::/CN=ca',
            getAttributeValue: (name: string) => options.attrs?.[name] ?? null,
        },
    } as unknown as Context;
}

describe('canonicalJson', () => {
    it('sorts keys at every depth', () => {
        expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe('{"a":[2,{"c":4,"d":3}],"b":1}');
    });
});

describe('sha256Hex', () => {
    it('hashes UTF-8 strings', () => {
        expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    });
});

describe('txTime', () => {
    it('floors to whole minutes and prints ISO without milliseconds', () => {
        expect(txTime(fakeContext({ seconds: 1_700_000_059 }))).toEqual({
            minute: 28_333_334,
            iso: '2023-11-14T22:14:19Z',
        });
    });
});

describe('requireRole', () => {
    const finance = fakeContext({ mspId: 'RegulatorMSP', attrs: { role: 'finance', unit: '浙江省财政厅票据中心' } });

    it('returns the caller when MSP and role match', () => {
        expect(requireRole(finance, { msp: 'RegulatorMSP', role: 'finance' })).toMatchObject({
            mspId: 'RegulatorMSP',
            role: 'finance',
            unit: '浙江省财政厅票据中心',
        });
    });

    it('accepts any of several requirements', () => {
        expect(
            requireRole(finance, { msp: 'MemberMSP' }, { msp: 'RegulatorMSP', role: ['notary', 'finance'] }).role,
        ).toBe('finance');
    });

    it('refuses with E_FORBIDDEN naming what was needed', () => {
        expect(() => requireRole(finance, { msp: 'MemberMSP', role: 'hospital' })).toThrow(
            /^E_FORBIDDEN: requires MemberMSP role hospital; caller is RegulatorMSP role finance$/,
        );
    });
});

describe('parseJson', () => {
    const Amounts = z.object({ total: fen });

    it('refuses malformed JSON and wrong types with E_BAD_INPUT', () => {
        expect(() => parseJson('amounts', '{', Amounts)).toThrow(/^E_BAD_INPUT: amounts is not valid JSON/);
        expect(() => parseJson('amounts', '{"total":1.5}', Amounts)).toThrow(/^E_BAD_INPUT: amounts\.total:/);
        expect(parseJson('amounts', '{"total":150}', Amounts)).toEqual({ total: 150 });
    });
});

describe('emitEvent', () => {
    it('refuses a second event in one transaction', () => {
        const ctx = fakeContext();
        emitEvent(ctx, 'First', { b: 1, a: 2 });
        expect(() => emitEvent(ctx, 'Second', {})).toThrow(/^E_INTERNAL:/);
    });
});
