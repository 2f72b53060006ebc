/**
 * The zhelian chaincode package: Fabric's Node runtime loads `contracts` from here
 * (`fabric-chaincode-node start` / `server`). Each contract is one application of the report.
 * The pure draw verifier is also importable on its own as `zhelian/dist/lottery/draw`.
 */
import { EinvoiceContract } from './einvoice/contract';
import { LotteryContract } from './lottery/contract';
import { TeaContract } from './tea/contract';

export { EinvoiceContract, LotteryContract, TeaContract };
export * as lotteryDraw from './lottery/draw';

export const contracts = [EinvoiceContract, LotteryContract, TeaContract];
