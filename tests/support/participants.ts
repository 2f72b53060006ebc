import type { Contract } from '@zhelian/api';
import type { ScenarioNetwork } from './scenario';

/** A participant enrolled during a test, acting on one contract at a time. */
export interface Participant {
    contract(contractName: string): Contract;
    close(): void;
}

/**
 * Enrolls a participant the topology does not have (a second station, an impostor grower) with
 * its own certificate and attributes, and connects as it.
 *
 * ```ts
 * const impostor = await enrollParticipant(network, 'MemberMSP:grower2', { role: 'grower', unit: '冒牌茶园' });
 * await impostor.contract('tea').submitTransaction('registerLot', …);
 * impostor.close();
 * ```
 */
export async function enrollParticipant(
    network: ScenarioNetwork,
    who: string,
    attrs: Record<string, string>,
): Promise<Participant> {
    const [mspId, name] = who.split(':');
    await network.backend.enroll(mspId, name, { attrs });
    const gateway = await network.backend.connect({ mspId, name });
    const channel = gateway.getNetwork(network.backend.describe().channel);
    return {
        contract: (contractName) => channel.getContract(network.chaincode, contractName),
        close: () => gateway.close(),
    };
}

/**
 * Starts the calls together (each endorsed against the same committed state) and tells how many
 * committed, with the refusals' messages: two conflicting calls at once must not both commit.
 */
export async function atOnce(calls: Promise<unknown>[]): Promise<{ committed: number; refusals: string[] }> {
    const results = await Promise.allSettled(calls);
    const refusals = results.flatMap((result) => (result.status === 'rejected' ? [String(result.reason)] : []));
    return { committed: results.length - refusals.length, refusals };
}
