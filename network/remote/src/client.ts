import {
    type ChaincodeEvent,
    type ChaincodeEventsOptions,
    type ClientIdentity,
    type CloseableAsyncIterable,
    CommitError,
    commitError,
    type Contract,
    ErrorCode,
    type Gateway,
    type IdentityRef,
    type Network,
    notSupported,
    type Proposal,
    type ProposalOptions,
    type Status,
    type SubmittedTransaction,
    ZhelianError,
} from '@zhelian/api';
import { openEventStream } from './event-stream';
import type { ServerClient } from './server-client';

/** What `POST /api/chaincode/:chaincode/:fn` answers. */
interface InvokeAnswer {
    txId?: string;
    blockNumber?: number;
    validationCode?: number;
    resultBase64: string;
}

/** Over HTTP an argument is text: bytes are sent as their UTF-8 text. */
const text = (value: string | Uint8Array): string =>
    typeof value === 'string' ? value : Buffer.from(value).toString('utf8');

class RemoteSubmittedTransaction implements SubmittedTransaction {
    readonly #status: Status;
    readonly #result: Uint8Array;

    constructor(status: Status, result: Uint8Array) {
        this.#status = status;
        this.#result = result;
    }

    getTransactionId(): string {
        return this.#status.transactionId;
    }

    getResult(): Uint8Array {
        return this.#result;
    }

    async getStatus(): Promise<Status> {
        return this.#status;
    }
}

/**
 * A chaincode as a remote client sees it: every call is one request to the gateway's generic
 * route, which signs with the identity the server holds. `submitAsync` answers once the block has
 * committed (one request does the whole flow), so its status is ready at once.
 */
class RemoteContract implements Contract {
    readonly #client: ServerClient;
    readonly #identity: IdentityRef;
    readonly #chaincode: string;
    readonly #contract: string | undefined;

    constructor(client: ServerClient, identity: IdentityRef, chaincode: string, contract: string | undefined) {
        this.#client = client;
        this.#identity = identity;
        this.#chaincode = chaincode;
        this.#contract = contract;
    }

    getChaincodeName(): string {
        return this.#chaincode;
    }

    getContractName(): string | undefined {
        return this.#contract;
    }

    evaluateTransaction(name: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array> {
        return this.evaluate(name, { arguments: args });
    }

    submitTransaction(name: string, ...args: (string | Uint8Array)[]): Promise<Uint8Array> {
        return this.submit(name, { arguments: args });
    }

    async evaluate(name: string, options: ProposalOptions = {}): Promise<Uint8Array> {
        const answer = await this.#invoke(name, options, false);
        return new Uint8Array(Buffer.from(answer.resultBase64, 'base64'));
    }

    async submit(name: string, options: ProposalOptions = {}): Promise<Uint8Array> {
        const submitted = await this.submitAsync(name, options);
        const status = await submitted.getStatus();
        if (!status.successful) {
            throw commitError(status);
        }
        return submitted.getResult();
    }

    async submitAsync(name: string, options: ProposalOptions = {}): Promise<SubmittedTransaction> {
        try {
            const answer = await this.#invoke(name, options, true);
            const status: Status = {
                transactionId: answer.txId ?? '',
                blockNumber: BigInt(answer.blockNumber ?? 0),
                code: answer.validationCode ?? 0,
                successful: true,
            };
            return new RemoteSubmittedTransaction(status, new Uint8Array(Buffer.from(answer.resultBase64, 'base64')));
        } catch (err) {
            // An invalid transaction was still ordered: as with fabric-gateway, its status says so.
            if (err instanceof CommitError) {
                const status: Status = {
                    transactionId: err.transactionId,
                    blockNumber: err.blockNumber,
                    code: err.validationCode,
                    successful: false,
                };
                return new RemoteSubmittedTransaction(status, new Uint8Array());
            }
            throw err;
        }
    }

    newProposal(transactionName: string, options: ProposalOptions = {}): Proposal {
        const stepByStep = (): never => {
            throw new ZhelianError(
                ErrorCode.NOT_SUPPORTED,
                'through a Zhelian server, one request endorses, orders and commits: use submit or submitAsync; the step-by-step flow (newProposal, endorse) needs the network itself',
            );
        };
        return {
            getTransactionId: stepByStep,
            evaluate: () => this.evaluate(transactionName, options),
            endorse: async () => stepByStep(),
        };
    }

    #invoke(name: string, options: ProposalOptions, submit: boolean): Promise<InvokeAnswer> {
        const fn = this.#contract ? `${this.#contract}:${name}` : name;
        const transient = options.transientData
            ? Object.fromEntries(Object.entries(options.transientData).map(([key, value]) => [key, text(value)]))
            : undefined;
        return this.#client.request<InvokeAnswer>(
            'POST',
            `/api/chaincode/${encodeURIComponent(this.#chaincode)}/${encodeURIComponent(fn)}`,
            {
                as: this.#identity,
                body: {
                    args: (options.arguments ?? []).map(text),
                    ...(transient ? { transient } : {}),
                    ...(options.endorsingOrganizations
                        ? { endorsingOrganizations: options.endorsingOrganizations }
                        : {}),
                    submit,
                },
            },
        );
    }
}

/** What the chaincode-event stream sends. */
interface ChaincodeEventJson {
    blockNumber: number;
    transactionId: string;
    chaincodeName: string;
    eventName: string;
    payloadBase64: string;
}

class RemoteNetwork implements Network {
    readonly #client: ServerClient;
    readonly #identity: IdentityRef;
    readonly #name: string;

    constructor(client: ServerClient, identity: IdentityRef, name: string) {
        this.#client = client;
        this.#identity = identity;
        this.#name = name;
    }

    getName(): string {
        return this.#name;
    }

    getContract(chaincodeName: string, contractName?: string): Contract {
        return new RemoteContract(this.#client, this.#identity, chaincodeName, contractName);
    }

    getChaincodeEvents(
        chaincodeName: string,
        options: ChaincodeEventsOptions = {},
    ): Promise<CloseableAsyncIterable<ChaincodeEvent>> {
        return openEventStream(
            this.#client,
            `/api/events/chaincode/${encodeURIComponent(chaincodeName)}`,
            { from: options.startBlock === undefined ? undefined : String(options.startBlock) },
            'chaincode',
            (data) => {
                const event = data as ChaincodeEventJson;
                return {
                    blockNumber: BigInt(event.blockNumber),
                    transactionId: event.transactionId,
                    chaincodeName: event.chaincodeName,
                    eventName: event.eventName,
                    payload: new Uint8Array(Buffer.from(event.payloadBase64, 'base64')),
                };
            },
        );
    }
}

/** A connection acting as one identity, whose key stays on the server. */
export class RemoteGateway implements Gateway {
    readonly #client: ServerClient;
    readonly #identity: IdentityRef;
    readonly #credentials: ClientIdentity;
    readonly #channel: string;
    #closed = false;

    constructor(client: ServerClient, identity: IdentityRef, credentials: ClientIdentity, channel: string) {
        this.#client = client;
        this.#identity = identity;
        this.#credentials = credentials;
        this.#channel = channel;
    }

    getNetwork(channelName: string): Network {
        if (this.#closed) {
            throw notSupported('a closed gateway', 'remote');
        }
        if (channelName !== this.#channel) {
            throw new ZhelianError(
                ErrorCode.CHANNEL_MISMATCH,
                `the server serves channel ${this.#channel}, not ${channelName}`,
            );
        }
        return new RemoteNetwork(this.#client, this.#identity, channelName);
    }

    getIdentity(): ClientIdentity {
        return this.#credentials;
    }

    close(): void {
        this.#closed = true;
    }
}
