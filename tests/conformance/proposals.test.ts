import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EndorseError, ErrorCode, GatewayError, type Proposal } from '@zhelian/api';
import { type ConformanceNetwork, openConformanceNetwork, text } from '../support/conformance';

/**
 * What the peers refuse before a chaincode writes anything, on both backends: proposals signed
 * outside the peers' 15-minute time window (Fabric 3's TimeWindowCheck), unknown functions,
 * chaincodes and channels — each as the same error type and code.
 */
const WRITER = 'MemberMSP:zheyi';
const MINUTE = 60_000;
let network: ConformanceNetwork;

/**
 * A proposal signed by a client whose clock runs `minutes` off: the proposal's timestamp comes
 * from it. Only the signing runs under that clock, so an in-process peer keeps the real one.
 */
function proposalWithClockOff(minutes: number, fn: string, args: string[]): Proposal {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + minutes * MINUTE });
    try {
        return network.contract(WRITER).newProposal(fn, { arguments: args });
    } finally {
        vi.useRealTimers();
    }
}

beforeAll(async () => {
    network = await openConformanceNetwork();
});

afterAll(async () => {
    await network?.close();
});

describe('proposals', () => {
    it('are endorsed when signed up to 15 minutes off the peers’ clocks', async () => {
        const contract = network.contract(WRITER);
        const transaction = await proposalWithClockOff(14, 'put', ['clock', 'ahead']).endorse();
        expect((await (await transaction.submit()).getStatus()).successful).toBe(true);
        expect(text(await contract.evaluateTransaction('get', 'clock'))).toBe('ahead');
    });

    it('are refused when signed further off, as TimeWindowCheck refuses them', async () => {
        const ahead = await proposalWithClockOff(20, 'put', ['clock', 'late'])
            .endorse()
            .catch((err: unknown) => err);
        expect(ahead).toBeInstanceOf(EndorseError);
        expect((ahead as Error).message).toMatch(/request unauthorized due to incorrect timestamp/);
        await expect(proposalWithClockOff(-20, 'get', ['clock']).evaluate()).rejects.toThrow(
            /incorrect timestamp .* peer\.authentication\.timewindow 15m0s/,
        );
    });

    it('name a function the contract does not have: refused by the chaincode', async () => {
        await expect(network.contract(WRITER).evaluateTransaction('noSuchFunction')).rejects.toThrow(
            /function that does not exist: noSuchFunction/,
        );
    });

    it('name a chaincode the channel does not define: refused with the gateway’s error types', async () => {
        const missing = network.gateway(WRITER).getNetwork(network.channel).getContract('nonexistent');
        await expect(missing.evaluateTransaction('get', 'x')).rejects.toSatisfy(
            (err) => err instanceof GatewayError && err.code === ErrorCode.GATEWAY_FAILED,
        );
        await expect(missing.submitTransaction('put', 'x', 'y')).rejects.toSatisfy(
            (err) => err instanceof EndorseError && err.code === ErrorCode.ENDORSE_FAILED,
        );
    });

    it('name a channel the network does not have: GATEWAY_FAILED', async () => {
        const elsewhere = network.gateway(WRITER).getNetwork('nochannel').getContract(network.chaincode);
        await expect(elsewhere.evaluateTransaction('get', 'x')).rejects.toSatisfy(
            (err) => err instanceof GatewayError && err.code === ErrorCode.GATEWAY_FAILED,
        );
    });
});
