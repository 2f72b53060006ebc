import type { IdentityRef, LedgerBackend } from '@zhelian/api';
import type { AccessControl } from './auth/access';
import type { IdentityDirectory } from './auth/identity-directory';
import type { TokenStore } from './auth/tokens';
import type { EventStreams } from './events/event-streams';
import type { Connections } from './ledger/connections';
import type { TransactionRunner } from './ledger/transactions';
import type { ServerStatus } from './status';
import type { ParticipantActivity } from './workshop/activity';

/** What the gateway's routes work with, made once per server. */
export interface GatewayServices {
    backend: LedgerBackend;
    connections: Connections;
    runner: TransactionRunner;
    identities: IdentityDirectory;
    tokens: TokenStore;
    access: AccessControl;
    streams: EventStreams;
    status: ServerStatus;
    /** What the gateway answered each participant: the evidence of lesson steps that leave nothing on the ledger. */
    activity: ParticipantActivity;
    /** The chaincode whose contracts get per-application routes and public verification routes. */
    chaincode: string;
    /** The identity that signs what public routes ask the ledger: their callers have none. */
    publicIdentity(): Promise<IdentityRef>;
    /** Reads the chaincode's metadata again and regenerates its routes (after an upgrade). */
    reloadChaincode(): Promise<void>;
    /** Upload size limit in bytes. */
    uploadLimit: number;
}
