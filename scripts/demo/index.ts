import type { Contract } from '../../network/embedded/src/gateway/api';
import { seedEinvoice } from './einvoice';
import { seedLottery } from './lottery';
import { seedEvidence } from './evidence';
import { seedTea } from './tea';
import { seedTimebank } from './timebank';

/** Acts as a demo user (`MSP:user`) on one contract of the zhelian chaincode. */
export type ActAs = (who: string) => (contractName: string) => Contract;

/** Seeds every application's demo scenario, in order, on a fresh ledger. */
export async function seedAll(as: ActAs): Promise<void> {
    await seedEinvoice(as);
    await seedLottery(as);
    await seedTea(as);
    await seedTimebank(as);
    await seedEvidence(as);
}
