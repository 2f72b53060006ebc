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
    const lottery = seedLottery(as);
    try {
        await seedEinvoice(as);
        await seedTea(as);
        await seedTimebank(as);
        await seedEvidence(as);
    } finally {
        await lottery;
    }
}
