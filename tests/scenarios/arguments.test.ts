import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openScenarioNetwork, type ScenarioNetwork } from '../support/scenario';

/**
 * Transaction arguments as every contract receives them (issue 8, item 6): strings on the wire,
 * parsed by the chaincode itself, so that every refusal carries an `E_` code and nothing changes.
 * Whole numbers are decimal digits and nothing else; bytes that are not UTF-8 are refused, not
 * stored as U+FFFD; what fabric-contract-api refuses before a contract runs (unknown contract,
 * wrong argument count) carries a code too.
 */

const STATION = 'MemberMSP:station';
const VOLUNTEER = 'MemberMSP:volunteer1';
const ELDER = 'MemberMSP:elder';
const PATIENT = 'MemberMSP:patient';
const MAJORITY = ['MemberMSP', 'RegulatorMSP', 'PlatformMSP'];

/** What a client might send for a whole number, and the value a loose parser makes of it. */
const LOOSE_NUMBERS = [
    '0x10',
    ' 5 ',
    '5 ',
    '1e3',
    '1.0',
    '',
    '-0',
    '+5',
    '05',
    '-5',
    'abc',
    'Infinity',
    '9007199254740993',
];

const json = (bytes: Uint8Array) => JSON.parse(Buffer.from(bytes).toString('utf8'));
/** `text` as UTF-8 with the bytes of `invalid` spliced in where `@` stands. */
const withBytes = (text: string, invalid: number[]) => {
    const [before, after] = text.split('@');
    return new Uint8Array([...Buffer.from(before, 'utf8'), ...invalid, ...Buffer.from(after, 'utf8')]);
};

let network: ScenarioNetwork;
const timebank = (who: string) => network.contract(who, 'timebank');
const ids: Record<string, string> = {};
const balance = async (who: string) =>
    json(await timebank(STATION).evaluateTransaction('getAccount', ids[who])).balanceMinutes;

beforeAll(async () => {
    network = await openScenarioNetwork();
    for (const who of [STATION, VOLUNTEER, ELDER, PATIENT]) {
        ids[who] = json(await timebank(who).submitTransaction('registerAccount')).id;
    }
    await timebank(STATION).submit('recordElderDetails', {
        arguments: [ids[ELDER]],
        transientData: { elder: JSON.stringify({ name: '王阿婆', address: '杭州市滨江区', phone: '0571-8888 0000' }) },
    });
    await timebank(STATION).submit('postOrder', {
        arguments: ['O-ARGS', ids[ELDER], '助餐', '60'],
        endorsingOrganizations: MAJORITY,
    });
    await timebank(VOLUNTEER).submitTransaction('recordService', 'O-ARGS', '45');
    await timebank(ELDER).submitTransaction('confirmService', 'O-ARGS');
});

afterAll(async () => {
    await network?.close();
});

describe('whole-number arguments', () => {
    it.each(LOOSE_NUMBERS)('refuses %j minutes with E_BAD_INPUT, moving nothing', async (amount) => {
        await expect(
            timebank(VOLUNTEER).submitTransaction('transferMinutes', ids[PATIENT], amount, 'FAMILY', ''),
        ).rejects.toThrow(/E_BAD_INPUT: amount: expected a whole number in decimal digits/);
        expect(await balance(VOLUNTEER)).toBe(45);
        expect(await balance(PATIENT)).toBe(0);
    });

    it('takes decimal digits', async () => {
        await timebank(VOLUNTEER).submitTransaction('transferMinutes', ids[PATIENT], '16', 'FAMILY', '给家人');
        expect(await balance(VOLUNTEER)).toBe(29);
        expect(await balance(PATIENT)).toBe(16);
    });

    it('parses the same way in every contract', async () => {
        await expect(
            network
                .contract('MemberMSP:farmer', 'tea')
                .submitTransaction('registerLot', 'LOT-ARGS', '勐海布朗山', '0x10', '1000'),
        ).rejects.toThrow(/E_BAD_INPUT: pickedAtMinute: expected a whole number/);
        await expect(
            network
                .contract('MemberMSP:litigant', 'evidence')
                .submitTransaction('depositEvidence', 'EV-ARGS', 'a'.repeat(64), '截图', 'image/png', '1e3'),
        ).rejects.toThrow(/E_BAD_INPUT: sizeBytes: expected a whole number/);
    });
});

describe('refusals raised before a contract runs', () => {
    it('names an unknown contract with E_UNKNOWN_CONTRACT', async () => {
        await expect(network.contract(PATIENT, 'casino').evaluateTransaction('play')).rejects.toThrow(
            /E_UNKNOWN_CONTRACT: the chaincode has no contract casino/,
        );
        await expect(network.contract(PATIENT, 'casino').submitTransaction('play')).rejects.toThrow(
            /E_UNKNOWN_CONTRACT/,
        );
    });

    it('refuses too few or too many arguments with E_ARGUMENT_COUNT, changing nothing', async () => {
        await expect(timebank(VOLUNTEER).evaluateTransaction('getAccount')).rejects.toThrow(
            /E_ARGUMENT_COUNT: timebank:getAccount takes 1 argument \(accountId\); 0 were given/,
        );
        await expect(
            timebank(VOLUNTEER).submitTransaction('transferMinutes', ids[PATIENT], '5', 'FAMILY', '', 'extra'),
        ).rejects.toThrow(/E_ARGUMENT_COUNT: timebank:transferMinutes takes 4 arguments/);
        await expect(timebank(VOLUNTEER).submitTransaction('transferMinutes', ids[PATIENT], '5')).rejects.toThrow(
            /E_ARGUMENT_COUNT/,
        );
        expect(await balance(VOLUNTEER)).toBe(29);
    });

    it("refuses an unknown function of Fabric's system contract with E_UNKNOWN_TRANSACTION", async () => {
        const system = network.contract(PATIENT, 'org.hyperledger.fabric');
        expect(json(await system.evaluateTransaction('GetMetadata')).contracts).toHaveProperty('einvoice');
        await expect(system.evaluateTransaction('SetMetadata')).rejects.toThrow(/E_UNKNOWN_TRANSACTION/);
    });
});

describe('arguments that are not UTF-8', () => {
    it('refuses an argument with invalid bytes with E_BAD_INPUT instead of storing U+FFFD', async () => {
        const note = withBytes('给家人@', [0xe4, 0xbd]);
        await expect(
            timebank(VOLUNTEER).submitTransaction('transferMinutes', ids[PATIENT], '1', 'FAMILY', note),
        ).rejects.toThrow(/E_BAD_INPUT: argument 4 \(note\) is not valid UTF-8/);
        expect(await balance(VOLUNTEER)).toBe(29);
    });

    it('refuses transient data with invalid bytes', async () => {
        const elder = withBytes('{"name":"王@","address":"杭州市滨江区","phone":"0571-8888 0001"}', [0xe9]);
        await expect(
            timebank(STATION).submit('recordElderDetails', {
                arguments: [ids[PATIENT]],
                transientData: { elder },
            }),
        ).rejects.toThrow(/E_BAD_INPUT: transient elder is not valid UTF-8/);
        await expect(
            timebank('RegulatorMSP:civil').evaluateTransaction('getElderDetails', ids[PATIENT]),
        ).rejects.toThrow(/E_NOT_FOUND/);
    });
});
