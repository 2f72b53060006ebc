import { describe, expect, it } from 'vitest';
import type { Context } from 'fabric-contract-api';
import { canonicalJson } from './json';
import { sha256Hex } from './hash';
import { txTime } from './time';
import { requireRole } from './identity';
import { decodeUtf8, fen, parseJson, parseWholeNumber } from './input';
import { type Dispatcher, invocationRefusal } from './invocation';
import { z } from 'zod';
import { ZhelianContract } from './contract';
import { emitContractEvent, eventName } from './events';
import { recordBytes } from './record';

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

describe('events', () => {
    it('are named <contract>.<PastTenseEvent>', () => {
        expect(eventName('einvoice', 'ReceiptIssued')).toBe('einvoice.ReceiptIssued');
        for (const [contract, event] of [
            ['einvoice', 'receiptIssued'],
            ['Einvoice', 'ReceiptIssued'],
            ['', 'ReceiptIssued'],
            ['einvoice', 'tea.CakeSold'],
            ['einvoice', ''],
        ]) {
            expect(() => eventName(contract, event)).toThrow(
                /^E_INTERNAL: event name .* is not <contract>\.<PastTenseEvent>$/,
            );
        }
    });

    it('carry a sorted-key JSON payload', () => {
        const events: { name: string; payload: Uint8Array }[] = [];
        const ctx = { stub: { setEvent: (name: string, payload: Uint8Array) => events.push({ name, payload }) } };
        emitContractEvent(ctx as unknown as Context, 'tea', 'CakeSold', { b: 1, a: 2 });
        expect(events.map((event) => [event.name, Buffer.from(event.payload).toString('utf8')])).toEqual([
            ['tea.CakeSold', '{"a":2,"b":1}'],
        ]);
    });

    it("take the emitting contract's name as their prefix", () => {
        class SampleContract extends ZhelianContract {
            constructor() {
                super('sample');
            }
            finish(ctx: Context): void {
                this.emitEvent(ctx, 'ThingFinished', {});
            }
        }
        const events: string[] = [];
        const ctx = { stub: { setEvent: (name: string) => events.push(name) } };
        new SampleContract().finish(ctx as unknown as Context);
        expect(events).toEqual(['sample.ThingFinished']);
    });

    it('refuses a second event in one transaction', () => {
        const ctx = fakeContext();
        emitContractEvent(ctx, 'tea', 'First', { b: 1, a: 2 });
        expect(() => emitContractEvent(ctx, 'tea', 'Second', {})).toThrow(/^E_INTERNAL:/);
    });
});

describe('recordBytes', () => {
    it('writes sorted-key JSON of a record whose docType is its key type', () => {
        const bytes = recordBytes('tea.scans', { docType: 'tea.scans', count: 1, cakeCode: 'PE-1' });
        expect(Buffer.from(bytes).toString('utf8')).toBe('{"cakeCode":"PE-1","count":1,"docType":"tea.scans"}');
    });

    it('refuses a record of another docType', () => {
        expect(() => recordBytes('tea.cake', { docType: 'tea.lot' })).toThrow(
            /^E_INTERNAL: a tea.cake record carries docType tea.lot$/,
        );
    });

    it('refuses an undefined field at any depth: a field not yet set is null', () => {
        expect(recordBytes('x.y', { docType: 'x.y', sale: null }).length).toBeGreaterThan(0);
        expect(() => recordBytes('x.y', { docType: 'x.y', sale: undefined })).toThrow(/field sale is undefined/);
        expect(() => recordBytes('x.y', { docType: 'x.y', claim: { by: { id: undefined } } })).toThrow(
            /field claim\.by\.id is undefined/,
        );
        expect(() => recordBytes('x.y', { docType: 'x.y', winners: [{ rank: 1 }, undefined] })).toThrow(
            /field winners\[1\] is undefined/,
        );
    });
});

describe('parseWholeNumber', () => {
    it('takes decimal digits only', () => {
        expect(parseWholeNumber('claimFen', '0')).toBe(0);
        expect(parseWholeNumber('claimFen', '31250')).toBe(31_250);
        expect(parseWholeNumber('claimFen', String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    });

    it.each(['0x10', ' 5 ', '5 ', '1e3', '1.0', '', '-0', '+5', '05', '-5', 'Infinity', '9007199254740993', '٣'])(
        'refuses %j with E_BAD_INPUT',
        (text) => {
            expect(() => parseWholeNumber('claimFen', text)).toThrow(
                /^E_BAD_INPUT: claimFen: expected a whole number in decimal digits/,
            );
        },
    );
});

describe('decodeUtf8', () => {
    it('refuses bytes that are not UTF-8 instead of replacing them with U+FFFD', () => {
        expect(decodeUtf8('note', Buffer.from('给家人', 'utf8'))).toBe('给家人');
        expect(() => decodeUtf8('note', new Uint8Array([0xe7, 0xbb]))).toThrow(
            /^E_BAD_INPUT: note is not valid UTF-8$/,
        );
        expect(() => decodeUtf8('note', new Uint8Array([0xc0, 0x80]))).toThrow(/E_BAD_INPUT/);
    });
});

describe('invocationRefusal', () => {
    const dispatcher: Dispatcher = {
        contractImplementations: { einvoice: {}, 'org.hyperledger.fabric': {} },
        metadata: {
            contracts: {
                einvoice: {
                    transactions: [
                        {
                            name: 'lockReceipt',
                            parameters: [
                                { name: 'code', schema: { type: 'string' } },
                                { name: 'claimFen', schema: { type: 'number' } },
                            ],
                        },
                        { name: 'broken', parameters: [{ name: 'flag', schema: { type: 'boolean' } }] },
                    ],
                },
                'org.hyperledger.fabric': { transactions: [{ name: 'GetMetadata' }] },
            },
        },
        _splitFunctionName(fcn) {
            const [contractName, name] = fcn.includes(':') ? fcn.split(':') : ['einvoice', fcn];
            return { contractName, function: name };
        },
    };
    const args = (...values: (string | number[])[]) =>
        values.map((value) => (typeof value === 'string' ? Buffer.from(value, 'utf8') : new Uint8Array(value)));
    const refusal = (...values: (string | number[])[]) => invocationRefusal(dispatcher, args(...values))?.message;

    it('lets a well-formed call through', () => {
        expect(refusal('einvoice:lockReceipt', '33010125', '31250')).toBeUndefined();
        expect(refusal('org.hyperledger.fabric:GetMetadata')).toBeUndefined();
        expect(refusal()).toBeUndefined();
    });

    it('codes what fabric-contract-api would refuse without one', () => {
        expect(refusal('casino:play')).toBe(
            'E_UNKNOWN_CONTRACT: the chaincode has no contract casino; it has einvoice',
        );
        expect(refusal('einvoice:steal')).toBe('E_UNKNOWN_TRANSACTION: contract einvoice has no transaction steal');
        expect(refusal('org.hyperledger.fabric:SetMetadata')).toMatch(/^E_UNKNOWN_TRANSACTION/);
        expect(refusal('einvoice:lockReceipt', '33010125')).toBe(
            'E_ARGUMENT_COUNT: einvoice:lockReceipt takes 2 arguments (code, claimFen); 1 was given',
        );
        expect(refusal('einvoice:lockReceipt', '33010125', '1', '2')).toMatch(/; 3 were given$/);
    });

    it('refuses bytes that are not UTF-8, naming the parameter', () => {
        expect(refusal([0x65, 0xff], '1')).toBe('E_BAD_INPUT: the function name is not valid UTF-8');
        expect(refusal('einvoice:lockReceipt', [0x33, 0xe4, 0xbd], '1')).toBe(
            'E_BAD_INPUT: argument 1 (code) is not valid UTF-8',
        );
    });

    it('accepts a number argument in decimal digits only, before fabric-contract-api converts it', () => {
        expect(refusal('einvoice:lockReceipt', '33010125', '0x10')).toMatch(
            /^E_BAD_INPUT: claimFen: expected a whole number in decimal digits/,
        );
        expect(refusal('einvoice:lockReceipt', '33010125', '')).toMatch(/^E_BAD_INPUT: claimFen:/);
    });

    it('names a parameter type the contracts do not use as a chaincode bug', () => {
        expect(refusal('einvoice:broken', 'true')).toMatch(
            /^E_INTERNAL: einvoice:broken declares parameter flag as boolean/,
        );
    });
});
