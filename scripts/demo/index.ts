import type { Contract } from '@zhelian/api';
import { seedEinvoice } from './einvoice';
import { seedLottery } from './lottery';
import { seedEvidence } from './evidence';
import { seedTea } from './tea';
import { seedTimebank } from './timebank';

/** Acts as a demo user (`MSP:user`) on one contract of the zhelian chaincode. */
export type ActAs = (who: string) => (contractName: string) => Contract;

/**
 * Seeds every application's demo scenario on a fresh ledger. The draw must wait for its
 * registration cutoff (the next whole minute of transaction time), so it runs beside the others
 * instead of before them.
 */
export async function seedAll(as: ActAs): Promise<void> {
    const seedOthers = async (): Promise<void> => {
        await seedEinvoice(as);
        await seedTea(as);
        await seedTimebank(as);
        await seedEvidence(as);
    };
    // Both are observed from the start, so a draw that fails while the others still run (a server
    // stopping mid-seed) is reported here instead of crashing the process as an unhandled rejection;
    // neither is left running when this returns.
    const outcomes = await Promise.allSettled([seedLottery(as), seedOthers()]);
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) {
        throw failed.reason;
    }
}
