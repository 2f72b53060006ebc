import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contract } from '@zhelian/api';
import { CommitError, EndorseError, GatewayError } from '@zhelian/api';
import { semantics, SEMANTICS_PACKAGE } from '../test/support/semantics';
import { EmbeddedLedger } from './embedded-ledger';
import { TxValidationCode } from '@zhelian/api';

const fixtures = path.join(__dirname, '..', 'test', 'fixtures', 'ledger');
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
const json = (bytes: Uint8Array): unknown => JSON.parse(text(bytes));

const collections = [
    {
        name: 'org1Only',
        policy: "OR('Org1MSP.member')",
        requiredPeerCount: 0,
        maxPeerCount: 1,
        blockToLive: 0,
        memberOnlyRead: true,
        memberOnlyWrite: true,
        endorsementPolicy: { signaturePolicy: "OR('Org1MSP.peer')" },
    },
    {
        name: 'shared',
        policy: "OR('Org1MSP.member','Org2MSP.member')",
        requiredPeerCount: 0,
        maxPeerCount: 1,
        blockToLive: 0,
        memberOnlyRead: true,
        memberOnlyWrite: true,
    },
];

describe('embedded ledger on the test-network topology', () => {
    let dataDir: string;
    let ledger: EmbeddedLedger;
    let org1: Contract;
    let org2: Contract;

    beforeAll(async () => {
        dataDir = await mkdtemp(path.join(tmpdir(), 'zhelian-ledger-'));
        ledger = await EmbeddedLedger.open({ dataDir, topology: 'test-network' });
        await ledger.deploy({ packageDir: SEMANTICS_PACKAGE, collections });
        org1 = semantics(ledger);
        org2 = semantics(ledger, 'Org2MSP');
    });

    afterAll(async () => {
        await ledger?.close();
        await rm(dataDir, { recursive: true, force: true });
    });

    it('commits a write that a later query reads', async () => {
        await org1.submitTransaction('put', 'colour', 'red');
        expect(text(await org2.evaluateTransaction('get', 'colour'))).toBe('red');
    });

    it('has no read-your-own-writes: a read after a write in one transaction sees committed state', async () => {
        await org1.submitTransaction('put', 'ryow', 'old');
        expect(text(await org1.submitTransaction('putThenGet', 'ryow', 'new'))).toBe('old');
        expect(text(await org1.evaluateTransaction('get', 'ryow'))).toBe('new');
    });

    it('keeps the last of two writes of one key', async () => {
        await org1.submitTransaction('putTwice', 'lww', 'first', 'second');
        expect(text(await org1.evaluateTransaction('get', 'lww'))).toBe('second');
    });

    it('treats an empty value as a delete', async () => {
        await org1.submitTransaction('put', 'empty', 'something');
        await org1.submitTransaction('putEmpty', 'empty');
        expect(text(await org1.evaluateTransaction('get', 'empty'))).toBe('');
        const history = json(await org1.evaluateTransaction('history', 'empty')) as { isDelete: boolean }[];
        expect(history[0].isDelete).toBe(true);
    });

    it('orders keys as UTF-8 bytes, as LevelDB does', async () => {
        // U+FF5E (3 UTF-8 bytes, EF BD 9E) sorts before U+1F600 (4 bytes, F0 …) in UTF-8 but after it in UTF-16.
        await org1.submitTransaction(
            'putMany',
            JSON.stringify({ 'u-\u{1F600}': 'emoji', 'u-\uFF5E': 'tilde', 'u-a': 'a', 'u-Z': 'Z' }),
        );
        const rows = json(await org1.evaluateTransaction('range', 'u-', 'u.')) as { key: string }[];
        expect(rows.map((r) => r.key)).toEqual(['u-Z', 'u-a', 'u-\uFF5E', 'u-\u{1F600}']);
    });

    it('answers partial composite key queries with Fabric key formation', async () => {
        await org1.submitTransaction('putComposite', 'cake', '["tea", "001"]', 'A');
        await org1.submitTransaction('putComposite', 'cake', '["tea", "002"]', 'B');
        await org1.submitTransaction('putComposite', 'cake', '["coffee", "001"]', 'C');
        await org1.submitTransaction('putComposite', 'cakes', '["tea", "003"]', 'other type');
        const rows = json(await org1.evaluateTransaction('partial', 'cake', '["tea"]')) as {
            parts: { attributes: string[] };
            value: string;
        }[];
        expect(rows.map((r) => r.value)).toEqual(['A', 'B']);
        expect(rows[0].parts.attributes).toEqual(['tea', '001']);
        // Simple range queries never return composite keys.
        const all = json(await org1.evaluateTransaction('range', '', '')) as { key: string }[];
        expect(all.some((r) => r.key.startsWith('\u0000'))).toBe(false);
    });

    it('pages a range with bookmarks', async () => {
        await org1.submitTransaction(
            'putMany',
            JSON.stringify({ 'p-1': '1', 'p-2': '2', 'p-3': '3', 'p-4': '4', 'p-5': '5' }),
        );
        const first = json(await org1.evaluateTransaction('page', 'p-', 'p.', '2', '')) as {
            records: { key: string }[];
            bookmark: string;
            fetchedRecordsCount: number;
        };
        expect(first.records.map((r) => r.key)).toEqual(['p-1', 'p-2']);
        expect(first.fetchedRecordsCount).toBe(2);
        const second = json(await org1.evaluateTransaction('page', 'p-', 'p.', '2', first.bookmark)) as typeof first;
        expect(second.records.map((r) => r.key)).toEqual(['p-3', 'p-4']);
        const third = json(await org1.evaluateTransaction('page', 'p-', 'p.', '2', second.bookmark)) as typeof first;
        expect(third.records.map((r) => r.key)).toEqual(['p-5']);
        expect(third.bookmark).toBe('');
    });

    it('refuses writes after a paginated query, as Fabric does', async () => {
        await expect(org1.submitTransaction('pageThenPut', 'paged')).rejects.toThrow(/paginated/);
    });

    it('returns history newest first with txId, timestamp and deletes', async () => {
        const ids: string[] = [];
        for (const value of ['v1', 'v2']) {
            const submitted = await org1.submitAsync('put', { arguments: ['hist', value] });
            await submitted.getStatus();
            ids.push(submitted.getTransactionId());
        }
        const deleted = await org1.submitAsync('del', { arguments: ['hist'] });
        await deleted.getStatus();
        const history = json(await org1.evaluateTransaction('history', 'hist')) as {
            txId: string;
            value: string;
            isDelete: boolean;
            seconds: number;
        }[];
        expect(history.map((h) => h.txId)).toEqual([deleted.getTransactionId(), ids[1], ids[0]]);
        expect(history.map((h) => h.isDelete)).toEqual([true, false, false]);
        expect(history[1].value).toBe('v2');
        expect(Math.abs(history[0].seconds - Date.now() / 1000)).toBeLessThan(60);
    });

    it('gives the chaincode the transaction ID, timestamp, creator and certificate attributes', async () => {
        const proposal = org2.newProposal('txInfo');
        const info = json(await proposal.evaluate()) as Record<string, unknown>;
        expect(info.txId).toBe(proposal.getTransactionId());
        expect(info.channel).toBe('mychannel');
        expect(info.creatorMsp).toBe('Org2MSP');
        expect(info.mspId).toBe('Org2MSP');
        expect(String(info.id)).toMatch(/^x509::.*CN=user1/);
        expect(info.isClient).toBe(true);
        expect(Math.abs((info.seconds as number) - Date.now() / 1000)).toBeLessThan(60);
    });

    it('passes transient data to the chaincode without recording it', async () => {
        const submitted = await org1.submitAsync('transient', {
            arguments: ['secret'],
            transientData: { secret: '身份证 330106' },
        });
        expect(text(submitted.getResult())).toBe(createHash('sha256').update('身份证 330106').digest('hex'));
        await submitted.getStatus();
        const tx = await ledger.explorer.getTransaction(submitted.getTransactionId());
        expect(JSON.stringify(tx)).not.toContain('330106');
    });

    it('keeps private values with members and only a hash on the channel', async () => {
        const submitted = await org1.submitAsync('putPrivate', {
            arguments: ['shared', 'patient-1'],
            transientData: { value: '张三 13800000000' },
        });
        await submitted.getStatus();
        expect(text(await org1.evaluateTransaction('getPrivate', 'shared', 'patient-1'))).toBe('张三 13800000000');
        expect(text(await org2.evaluateTransaction('getPrivate', 'shared', 'patient-1'))).toBe('张三 13800000000');
        const hash = text(await org2.evaluateTransaction('privateHash', 'shared', 'patient-1'));
        expect(hash).toBe(createHash('sha256').update('张三 13800000000').digest('hex'));
        const tx = await ledger.explorer.getTransaction(submitted.getTransactionId());
        expect(JSON.stringify(tx)).not.toContain('13800000000');
        // Nothing in the block carries the value, as text or as bytes.
        const block = await ledger.explorer.getBlock(tx!.blockNumber);
        const everything = JSON.stringify(block, (_key, value: unknown) =>
            value instanceof Uint8Array
                ? [Buffer.from(value).toString('utf8'), Buffer.from(value).toString('base64')]
                : value,
        );
        expect(everything).toContain(submitted.getTransactionId());
        expect(everything).not.toContain('13800000000');
        expect(everything).not.toContain(Buffer.from('张三 13800000000').toString('base64'));

        await org1.submit('delPrivate', { arguments: ['shared', 'patient-1'] });
        expect(text(await org1.evaluateTransaction('getPrivate', 'shared', 'patient-1'))).toBe('');
        expect(text(await org1.evaluateTransaction('privateHash', 'shared', 'patient-1'))).toBe('');
    });

    it('enforces memberOnlyRead and memberOnlyWrite for non-members', async () => {
        await org1.submit('putPrivate', { arguments: ['org1Only', 'k'], transientData: { value: 'org1 secret' } });
        expect(text(await org1.evaluateTransaction('getPrivate', 'org1Only', 'k'))).toBe('org1 secret');
        await expect(org2.evaluateTransaction('getPrivate', 'org1Only', 'k')).rejects.toThrow(
            /does not have read access permission/,
        );
        await expect(
            org2.submit('putPrivate', { arguments: ['org1Only', 'k'], transientData: { value: 'x' } }),
        ).rejects.toThrow(/does not have write access permission/);
        // Every peer can still see the hash.
        expect(text(await org2.evaluateTransaction('privateHash', 'org1Only', 'k'))).toHaveLength(64);
    });

    it("refuses a member client the value on a non-member peer, which holds only the hash, as Fabric's query executor does", async () => {
        await org1.submit('putPrivate', { arguments: ['org1Only', 'held'], transientData: { value: 'org1 only' } });
        const onOrg2Peer = (key: string) =>
            org1.evaluate('getPrivate', { arguments: ['org1Only', key], endorsingOrganizations: ['Org2MSP'] });
        const committed = (await ledger.explorer.getHeight()) - 1;
        await expect(onOrg2Peer('held')).rejects.toThrow(
            `private data matching public hash version is not available. Public hash version = {BlockNum: ${committed}, TxNum: 0}, Private data version = <nil>`,
        );
        // A key the channel holds no hash of is empty on every peer, member or not.
        expect(text(await onOrg2Peer('never-written'))).toBe('');
        await org1.submit('delPrivate', { arguments: ['org1Only', 'held'] });
        expect(text(await onOrg2Peer('held'))).toBe('');
    });

    it('answers rich queries as LevelDB does: not supported', async () => {
        await expect(org1.evaluateTransaction('rich')).rejects.toThrow(/ExecuteQuery not supported for leveldb/);
    });

    it('delivers chaincode events of valid transactions only', async () => {
        const events = await ledger
            .connectWith(ledger.identity('Org1MSP', 'user1'))
            .getNetwork('mychannel')
            .getChaincodeEvents('semantics');
        const good = await org1.newProposal('put', { arguments: ['ev', 'one'] }).endorse();
        const conflicting = await org1.newProposal('put', { arguments: ['ev', 'two'] }).endorse();
        const submitted = await good.submit();
        await submitted.getStatus();
        // The same transaction again: a duplicate, invalid, so no second event.
        const duplicate = await good.submit();
        expect((await duplicate.getStatus()).code).toBe(TxValidationCode.DUPLICATE_TXID);
        const third = await conflicting.submit();
        await third.getStatus();
        const seen = [];
        for await (const event of events) {
            seen.push(event);
            if (seen.length === 2) break;
        }
        expect(seen.map((e) => e.transactionId)).toEqual([good.getTransactionId(), conflicting.getTransactionId()]);
        expect(json(seen[0].payload)).toEqual({ key: 'ev', value: 'one' });
        expect(seen[0].eventName).toBe('put');
    });

    it('replays chaincode events from a start block', async () => {
        const submitted = await org1.submitAsync('put', { arguments: ['replay', 'x'] });
        const status = await submitted.getStatus();
        const events = await ledger
            .connectWith(ledger.identity('Org1MSP', 'user1'))
            .getNetwork('mychannel')
            .getChaincodeEvents('semantics', { startBlock: status.blockNumber });
        const first = await events[Symbol.asyncIterator]().next();
        events.close();
        expect(first.value.transactionId).toBe(submitted.getTransactionId());
    });

    it('delivers block events with every transaction and its validation code', async () => {
        const blocks = await ledger.explorer.getBlocks();
        const policyFailure = await org1.submitAsync('put', {
            arguments: ['block-event', 'x'],
            endorsingOrganizations: ['Org1MSP'],
        });
        const { blockNumber } = await policyFailure.getStatus();
        const first = await blocks[Symbol.asyncIterator]().next();
        blocks.close();
        expect(first.value).toMatchObject({
            number: Number(blockNumber),
            transactions: [
                {
                    txId: policyFailure.getTransactionId(),
                    chaincodeName: 'semantics',
                    validationCode: TxValidationCode.ENDORSEMENT_POLICY_FAILURE,
                },
            ],
        });
        expect(first.value.previousHash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('invalidates the later of two conflicting transfers with MVCC_READ_CONFLICT (11)', async () => {
        await org1.submitTransaction('putMany', JSON.stringify({ alice: '100', bob: '0', carol: '0' }));
        const toBob = await org1.newProposal('transfer', { arguments: ['alice', 'bob', '70'] }).endorse();
        const toCarol = await org2.newProposal('transfer', { arguments: ['alice', 'carol', '70'] }).endorse();
        const [a, b] = await Promise.all([toBob.submit(), toCarol.submit()]);
        const codes = [(await a.getStatus()).code, (await b.getStatus()).code].sort();
        expect(codes).toEqual([TxValidationCode.VALID, TxValidationCode.MVCC_READ_CONFLICT]);
        expect(text(await org1.evaluateTransaction('get', 'alice'))).toBe('30');
        const total = ['bob', 'carol'].map(async (k) => Number(text(await org1.evaluateTransaction('get', k))));
        expect((await Promise.all(total)).reduce((x, y) => x + y)).toBe(70);
    });

    it('lets exactly one of many concurrent submits of the same transfer commit', async () => {
        await org1.submitTransaction('putMany', JSON.stringify({ dave: '10', erin: '0' }));
        const attempts = await Promise.allSettled(
            Array.from({ length: 8 }, () => org1.submit('transfer', { arguments: ['dave', 'erin', '10'] })),
        );
        expect(attempts.filter((a) => a.status === 'fulfilled')).toHaveLength(1);
        for (const failed of attempts.filter((a): a is PromiseRejectedResult => a.status === 'rejected')) {
            // Either refused at endorsement (saw the committed balance) or invalidated at commit.
            expect(
                failed.reason instanceof CommitError ? failed.reason.validationCode : failed.reason.message,
            ).toSatisfy(
                (v: unknown) => v === TxValidationCode.MVCC_READ_CONFLICT || /E_INSUFFICIENT_BALANCE/.test(String(v)),
            );
        }
        expect(text(await org1.evaluateTransaction('get', 'erin'))).toBe('10');
    });

    it('invalidates a range read that a later insert changed with PHANTOM_READ_CONFLICT (12)', async () => {
        await org1.submitTransaction('putMany', JSON.stringify({ 'r-a': '1', 'r-c': '1' }));
        const counting = await org1.newProposal('countRange', { arguments: ['r-', 'r.', 'r-count'] }).endorse();
        const inserting = await org1.newProposal('put', { arguments: ['r-b', '1'] }).endorse();
        const inserted = await inserting.submit();
        expect((await inserted.getStatus()).successful).toBe(true);
        const counted = await counting.submit();
        expect((await counted.getStatus()).code).toBe(TxValidationCode.PHANTOM_READ_CONFLICT);
    });

    it('fails a transaction endorsed by too few organizations with ENDORSEMENT_POLICY_FAILURE (10)', async () => {
        const submitted = await org1.submitAsync('put', {
            arguments: ['lonely', 'x'],
            endorsingOrganizations: ['Org1MSP'],
        });
        const status = await submitted.getStatus();
        expect(status.code).toBe(TxValidationCode.ENDORSEMENT_POLICY_FAILURE);
        await expect(
            org1.submit('put', { arguments: ['lonely', 'x'], endorsingOrganizations: ['Org1MSP'] }),
        ).rejects.toBeInstanceOf(CommitError);
        expect(text(await org1.evaluateTransaction('get', 'lonely'))).toBe('');
    });

    it('turns a chaincode error into an EndorseError carrying its message and changes nothing', async () => {
        const error = await org1.submit('fail', { arguments: ['E_NOPE: refused on purpose'] }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(EndorseError);
        expect((error as EndorseError).message).toContain('E_NOPE: refused on purpose');
        expect((error as EndorseError).details[0].message).toContain('chaincode response 500');
        await expect(org1.evaluateTransaction('fail', 'E_NOPE: again')).rejects.toBeInstanceOf(GatewayError);
    });

    it('refuses a proposal signed by someone other than its creator', async () => {
        const victim = ledger.identity('Org2MSP', 'user1');
        const attacker = ledger.identity('Org1MSP', 'user1');
        const impostor = {
            mspId: victim.mspId,
            name: victim.name,
            role: victim.role,
            attrs: victim.attrs,
            certificate: victim.certificate,
            credentials: victim.credentials,
            sign: (message: Uint8Array) => attacker.sign(message),
        };
        const height = await ledger.explorer.getHeight();
        const forged = ledger.connectWith(impostor).getNetwork('mychannel').getContract('semantics', 'semantics');
        const refused = forged.submitTransaction('put', 'forged', 'x');
        await expect(refused).rejects.toThrow(/access denied.*not signed by a valid member of Org2MSP/);
        // No chaincode ran, so no E_ code: the error's own stable code says why.
        await expect(refused).rejects.toMatchObject({ name: 'EndorseError', code: 'ACCESS_DENIED' });
        expect(await ledger.explorer.getHeight()).toBe(height);
    });

    it('refuses an unknown channel or chaincode with a clear error', async () => {
        const gateway = await ledger.connect({ mspId: 'Org1MSP', name: 'user1' });
        await expect(
            gateway.getNetwork('nochannel').getContract('semantics').evaluateTransaction('semantics:get', 'x'),
        ).rejects.toThrow(/channel nochannel not found/);
        await expect(gateway.getNetwork('mychannel').getContract('missing').submitTransaction('x')).rejects.toThrow(
            /chaincode missing is not deployed/,
        );
    });

    it('fails a non-deterministic chaincode the way Fabric does: endorsements do not match', async () => {
        await ledger.deploy({ packageDir: path.join(fixtures, 'nondeterministic') });
        const dice = ledger
            .connectWith(ledger.identity('Org1MSP', 'user1'))
            .getNetwork('mychannel')
            .getContract('nondeterministic');
        await expect(dice.submitTransaction('roll', 'd')).rejects.toThrow(/ProposalResponsePayloads do not match/);
        const height = await ledger.explorer.getHeight();
        await expect(dice.submitTransaction('stamp', 'd')).rejects.toBeInstanceOf(EndorseError);
        expect(await ledger.explorer.getHeight()).toBe(height);
    });

    it('invokes another chaincode on the same channel within one transaction', async () => {
        await ledger.deploy({ packageDir: path.join(fixtures, 'caller') });
        const caller = ledger
            .connectWith(ledger.identity('Org1MSP', 'user1'))
            .getNetwork('mychannel')
            .getContract('caller');
        const submitted = await caller.submitAsync('relay', { arguments: ['semantics', 'relayed', 'via caller'] });
        expect((await submitted.getStatus()).successful).toBe(true);
        expect(text(await org1.evaluateTransaction('get', 'relayed'))).toBe('via caller');
        expect(text(await caller.evaluateTransaction('ask', 'semantics', 'relayed'))).toBe('via caller');
        const tx = await ledger.explorer.getTransaction(submitted.getTransactionId());
        expect(tx!.readWriteSets.map((ns) => ns.namespace)).toEqual(['caller', 'semantics']);
    });

    it('records every transaction with its validation code and verifies the chain', async () => {
        const result = await ledger.explorer.verifyChain();
        expect(result.ok).toBe(true);
        expect(result.height).toBe(await ledger.explorer.getHeight());
        const codes = new Set<number>();
        for (let n = 0; n < (await ledger.explorer.getHeight()); n++) {
            for (const tx of (await ledger.explorer.getBlock(n))!.transactions) codes.add(tx.validationCode);
        }
        expect([...codes].sort((a, b) => a - b)).toEqual([0, 9, 10, 11, 12]);
    });
});
