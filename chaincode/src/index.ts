/**
 * The zhelian chaincode package: Fabric's Node runtime loads `contracts` from here
 * (`fabric-chaincode-node start` / `server`). Each contract is one application of the report.
 * The pure draw verifier is also importable on its own as `zhelian/lottery/draw` (package.json
 * `exports`; `main` stays for Fabric, which loads the package by that path).
 */
import { EinvoiceContract } from './einvoice/contract';
import { EvidenceContract } from './evidence/contract';
import { LotteryContract } from './lottery/contract';
import { TeaContract } from './tea/contract';
import { TimebankContract } from './timebank/contract';

export { EinvoiceContract, EvidenceContract, LotteryContract, TeaContract, TimebankContract };
export * as lotteryDraw from './lottery/draw';

export const contracts = [EinvoiceContract, LotteryContract, TeaContract, TimebankContract, EvidenceContract];
