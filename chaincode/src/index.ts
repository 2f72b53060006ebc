/**
 * The zhelian chaincode package: Fabric's Node runtime loads `contracts` from here
 * (`fabric-chaincode-node start` / `server`). Each contract is one application of the report.
 */
import { EinvoiceContract } from './einvoice/contract';

export { EinvoiceContract };

export const contracts = [EinvoiceContract];
