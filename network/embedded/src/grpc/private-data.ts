import type { ledger } from '@hyperledger/fabric-protos';
import { TxValidationCode } from '@zhelian/api';
import type { Block } from '../ledger/block';
import { sha256Hex } from '../ledger/encoding';
import { encodeTxPvtRwSet } from '../ledger/fabric-rwset';
import { decodeResponsePayload, decodeTransaction } from '../ledger/fabric-transaction';
import type { KeyWrite } from '../ledger/rwset';
import type { PeerContext } from './peer-context';

/**
 * The private data of a block that a client's organization may read, by transaction number, as a
 * peer's `DeliverWithPrivateData` hands it out: the values its valid transactions wrote to
 * collections that both the serving peer's organization and the client's are members of. This
 * ledger keeps private values current only (see docs/embedded-ledger.md), so a value is found
 * while it is still the one that transaction wrote — not after a later write, a purge or expiry.
 */
export async function privateDataOf(
    context: PeerContext,
    block: Block,
    requester: string,
): Promise<Map<number, ledger.rwset.TxPvtReadWriteSet>> {
    const result = new Map<number, ledger.rwset.TxPvtReadWriteSet>();
    for (const [txNum, bytes] of block.data.entries()) {
        if (block.metadata.validationCodes[txNum] !== TxValidationCode.VALID) {
            continue;
        }
        const { rwset } = decodeResponsePayload(decodeTransaction(bytes).responsePayload);
        const writes: { namespace: string; collection: string; writes: KeyWrite[] }[] = [];
        for (const ns of rwset) {
            for (const collection of ns.collections) {
                const members = context.collections(ns.namespace).get(collection.collection)?.memberOrgs ?? [];
                const written = new Set(collection.hashedWrites.filter((w) => !w.isDelete).map((w) => w.keyHash));
                if (written.size === 0 || !members.includes(requester) || !members.includes(context.mspId)) {
                    continue;
                }
                const found: KeyWrite[] = [];
                for await (const entry of context.store.rangePrivate(ns.namespace, collection.collection, '', '')) {
                    const sameWrite = entry.version.blockNum === block.header.number && entry.version.txNum === txNum;
                    if (sameWrite && written.has(sha256Hex(entry.key))) {
                        found.push({ key: entry.key, isDelete: false, value: entry.value });
                    }
                }
                if (found.length > 0) {
                    writes.push({ namespace: ns.namespace, collection: collection.collection, writes: found });
                }
            }
        }
        if (writes.length > 0) {
            result.set(txNum, encodeTxPvtRwSet(writes));
        }
    }
    return result;
}
