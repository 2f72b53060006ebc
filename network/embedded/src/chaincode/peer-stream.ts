import { peer } from '@hyperledger/fabric-protos';
import {
    ChaincodeExecutionError,
    ChaincodeTimeoutError,
    DuplicateExecutionError,
    type ChaincodeHostError,
} from './errors';
import type {
    ChaincodeInvocation,
    ChaincodeResponse,
    KeyModification,
    KeyValue,
    RangePage,
    ShimRequestHandler,
} from './handler';
import { QueryIterator, encodeKeyModification, encodeKeyValue, queryResponse } from './query-iterator';

const Type = peer.ChaincodeMessage.Type;
type MessageType = peer.ChaincodeMessage.TypeMap[keyof peer.ChaincodeMessage.TypeMap];

/** Settings shared by every stream of one chaincode host. */
export interface PeerStreamOptions {
    chaincodeName: string;
    executionTimeoutMs: number;
    batchSize: number;
    totalQueryLimit: number;
    /** Sends one serialized `ChaincodeMessage` to the chaincode on this stream. */
    send(bytes: Uint8Array): void;
    /** Called after an execution timed out, so the host can check whether the chaincode still responds. */
    onTimeout(): void;
}

interface Execution {
    readonly txId: string;
    readonly channelId: string;
    readonly handler: ShimRequestHandler;
    readonly iterators: Map<string, QueryIterator<unknown>>;
    nextIteratorId: number;
    readonly timer: NodeJS.Timeout;
    readonly resolve: (response: ChaincodeResponse) => void;
    readonly reject: (error: Error) => void;
}

/**
 * The peer's end of one shim stream (one peer connected to the chaincode): answers REGISTER with
 * REGISTERED and READY, sends TRANSACTION/INIT, serves the chaincode's ledger requests through
 * the execution's {@link ShimRequestHandler} and resolves the execution on COMPLETED.
 */
export class PeerStream {
    readonly peerId: string;
    /** Settles once the chaincode has registered on this stream and been told READY. */
    readonly registered: Promise<void>;
    readonly #options: PeerStreamOptions;
    readonly #executions = new Map<string, Execution>();
    #markRegistered!: () => void;
    #failRegistration!: (error: Error) => void;

    constructor(peerId: string, options: PeerStreamOptions) {
        this.peerId = peerId;
        this.#options = options;
        this.registered = new Promise<void>((resolve, reject) => {
            this.#markRegistered = resolve;
            this.#failRegistration = reject;
        });
        // A stream that never registers is reported by the caller that awaits it.
        this.registered.catch(() => undefined);
    }

    /** Transaction ids executing on this stream now. */
    get txIds(): string[] {
        return [...this.#executions.values()].map((execution) => execution.txId);
    }

    execute(invocation: ChaincodeInvocation, handler: ShimRequestHandler): Promise<ChaincodeResponse> {
        const { channelId, txId } = invocation;
        const key = contextKey(channelId, txId);
        if (this.#executions.has(key)) {
            return Promise.reject(new DuplicateExecutionError(this.#options.chaincodeName, txId, this.peerId));
        }
        return new Promise<ChaincodeResponse>((resolve, reject) => {
            const timeoutMs = this.#options.executionTimeoutMs;
            const timer = setTimeout(() => {
                this.#finish(key)?.reject(new ChaincodeTimeoutError(this.#options.chaincodeName, txId, timeoutMs));
                this.#options.onTimeout();
            }, timeoutMs);
            this.#executions.set(key, {
                txId,
                channelId,
                handler,
                iterators: new Map(),
                nextIteratorId: 0,
                timer,
                resolve,
                reject,
            });

            const input = new peer.ChaincodeInput();
            input.setArgsList(invocation.args);
            input.setIsInit(invocation.isInit ?? false);
            const message = newMessage(
                invocation.isInit ? Type.INIT : Type.TRANSACTION,
                txId,
                channelId,
                input.serializeBinary(),
            );
            try {
                message.setProposal(peer.SignedProposal.deserializeBinary(invocation.signedProposal));
            } catch (error) {
                const reason = error instanceof Error ? error.message : String(error);
                this.#finish(key)?.reject(
                    new ChaincodeExecutionError(
                        this.#options.chaincodeName,
                        txId,
                        `the signed proposal cannot be decoded: ${reason}`,
                    ),
                );
                return;
            }
            this.#options.send(message.serializeBinary());
        });
    }

    /** Handles one serialized `ChaincodeMessage` that the chaincode wrote to this stream. */
    receive(bytes: Uint8Array): void {
        const message = peer.ChaincodeMessage.deserializeBinary(bytes);
        switch (message.getType()) {
            case Type.REGISTER:
                this.#register();
                return;
            case Type.COMPLETED:
                this.#complete(message);
                return;
            case Type.ERROR:
                this.#finish(contextKey(message.getChannelId(), message.getTxid()))?.reject(
                    new ChaincodeExecutionError(
                        this.#options.chaincodeName,
                        message.getTxid(),
                        utf8(message.getPayload_asU8()),
                    ),
                );
                return;
            default:
                void this.#serve(message);
        }
    }

    /** Fails the registration if pending and every execution on this stream (the chaincode process ended). */
    abort(errorFor: (txId?: string) => ChaincodeHostError): void {
        this.#failRegistration(errorFor());
        for (const key of [...this.#executions.keys()]) {
            const execution = this.#finish(key);
            execution?.reject(errorFor(execution.txId));
        }
    }

    #register(): void {
        this.#send(newMessage(Type.REGISTERED, '', '', new Uint8Array()));
        this.#send(newMessage(Type.READY, '', '', new Uint8Array()));
        this.#markRegistered();
    }

    #complete(message: peer.ChaincodeMessage): void {
        const execution = this.#finish(contextKey(message.getChannelId(), message.getTxid()));
        if (!execution) {
            return; // a late answer for an execution that already timed out
        }
        const response = peer.Response.deserializeBinary(message.getPayload_asU8());
        const result: ChaincodeResponse = {
            status: response.getStatus(),
            message: response.getMessage(),
            payload: response.getPayload_asU8(),
        };
        const event = message.getChaincodeEvent();
        if (event) {
            // The shim sends only name and payload; the peer stamps chaincode and transaction.
            result.event = {
                chaincodeName: this.#options.chaincodeName,
                txId: execution.txId,
                eventName: event.getEventName(),
                payload: event.getPayload_asU8(),
            };
        }
        execution.resolve(result);
    }

    /** Removes an execution, stops its timer and closes its iterators (as a peer does at COMPLETED). */
    #finish(key: string): Execution | undefined {
        const execution = this.#executions.get(key);
        if (!execution) {
            return undefined;
        }
        this.#executions.delete(key);
        clearTimeout(execution.timer);
        for (const iterator of execution.iterators.values()) {
            void iterator.close().catch(() => undefined);
        }
        return execution;
    }

    async #serve(message: peer.ChaincodeMessage): Promise<void> {
        const txId = message.getTxid();
        const channelId = message.getChannelId();
        const type = message.getType();
        const execution = this.#executions.get(contextKey(channelId, txId));
        let reply: peer.ChaincodeMessage;
        if (!execution) {
            reply = newMessage(
                Type.ERROR,
                txId,
                channelId,
                Buffer.from(`[${txId}] no transaction context for ${typeName(type)}: the execution has ended`),
            );
        } else {
            try {
                reply = newMessage(
                    Type.RESPONSE,
                    txId,
                    channelId,
                    await this.#answer(execution, type, message.getPayload_asU8()),
                );
            } catch (error) {
                // As Fabric's handler (HandleTransaction) wraps what the ledger refused.
                const reason = error instanceof Error ? error.message : String(error);
                reply = newMessage(
                    Type.ERROR,
                    txId,
                    channelId,
                    Buffer.from(`${typeName(type)} failed: transaction ID: ${txId}: ${reason}`),
                );
            }
        }
        this.#send(reply);
    }

    async #answer(execution: Execution, type: MessageType, payload: Uint8Array): Promise<Uint8Array> {
        const handler = execution.handler;
        switch (type) {
            case Type.GET_STATE: {
                const request = peer.GetState.deserializeBinary(payload);
                return handler.getState(request.getCollection(), request.getKey());
            }
            case Type.GET_PRIVATE_DATA_HASH: {
                const request = peer.GetState.deserializeBinary(payload);
                return handler.getPrivateDataHash(request.getCollection(), request.getKey());
            }
            case Type.PUT_STATE: {
                const request = peer.PutState.deserializeBinary(payload);
                await handler.putState(request.getCollection(), request.getKey(), request.getValue_asU8());
                return EMPTY;
            }
            case Type.DEL_STATE: {
                const request = peer.DelState.deserializeBinary(payload);
                await handler.deleteState(request.getCollection(), request.getKey());
                return EMPTY;
            }
            case Type.PURGE_PRIVATE_DATA: {
                const request = peer.PurgePrivateState.deserializeBinary(payload);
                await handler.purgePrivateData(request.getCollection(), request.getKey());
                return EMPTY;
            }
            case Type.GET_STATE_METADATA: {
                const request = peer.GetStateMetadata.deserializeBinary(payload);
                const metadata = await handler.getStateMetadata(request.getCollection(), request.getKey());
                const result = new peer.StateMetadataResult();
                // Sorted so that every peer returns the same bytes.
                for (const metakey of [...metadata.keys()].sort()) {
                    const entry = new peer.StateMetadata();
                    entry.setMetakey(metakey);
                    entry.setValue(metadata.get(metakey) as Uint8Array);
                    result.addEntries(entry);
                }
                return result.serializeBinary();
            }
            case Type.PUT_STATE_METADATA: {
                const request = peer.PutStateMetadata.deserializeBinary(payload);
                const metadata = request.getMetadata() ?? new peer.StateMetadata();
                await handler.putStateMetadata(
                    request.getCollection(),
                    request.getKey(),
                    metadata.getMetakey(),
                    metadata.getValue_asU8(),
                );
                return EMPTY;
            }
            case Type.GET_STATE_BY_RANGE:
                return (
                    await this.#range(execution, peer.GetStateByRange.deserializeBinary(payload))
                ).serializeBinary();
            case Type.GET_QUERY_RESULT:
                return (await this.#query(execution, peer.GetQueryResult.deserializeBinary(payload))).serializeBinary();
            case Type.GET_HISTORY_FOR_KEY: {
                const request = peer.GetHistoryForKey.deserializeBinary(payload);
                const source = handler.getHistoryForKey(request.getKey());
                return (
                    await this.#openIterator<KeyModification>(execution, source, encodeKeyModification)
                ).serializeBinary();
            }
            case Type.QUERY_STATE_NEXT: {
                const id = peer.QueryStateNext.deserializeBinary(payload).getId();
                const iterator = execution.iterators.get(id);
                if (!iterator) {
                    throw new Error(`query iterator ${id} not found`);
                }
                return (await this.#nextBatch(execution, iterator)).serializeBinary();
            }
            case Type.QUERY_STATE_CLOSE: {
                const id = peer.QueryStateClose.deserializeBinary(payload).getId();
                const iterator = execution.iterators.get(id);
                execution.iterators.delete(id);
                await iterator?.close();
                return queryResponse(id, [], false).serializeBinary();
            }
            case Type.INVOKE_CHAINCODE:
                return this.#invoke(execution, peer.ChaincodeSpec.deserializeBinary(payload));
            default:
                throw new Error(`peer does not handle ${typeName(type)} messages`);
        }
    }

    async #range(execution: Execution, request: peer.GetStateByRange): Promise<peer.QueryResponse> {
        const { handler } = execution;
        const namespace = this.#options.chaincodeName;
        const collection = request.getCollection();
        const paging = pagingOf(request.getMetadata_asU8());
        // As in Fabric, pagination applies to the public state only, and a page is sent whole.
        if (collection === '' && paging && paging.getPagesize() > 0) {
            const pageSize = Math.min(paging.getPagesize(), this.#options.totalQueryLimit);
            const page = await handler.getStateByRangePage(
                request.getStartkey(),
                request.getEndkey(),
                pageSize,
                paging.getBookmark(),
            );
            return this.#pageResponse(execution, page);
        }
        const source = handler.getStateByRange(collection, request.getStartkey(), request.getEndkey());
        return this.#openIterator<KeyValue>(execution, source, encodeKeyValue(namespace));
    }

    /**
     * A rich query, as Fabric's handler serves it: on a collection, always as an iterator (Fabric
     * ignores paging there); with a page size, one page sent whole with its bookmark and
     * `fetchedRecordsCount`; otherwise an iterator in batches.
     */
    async #query(execution: Execution, request: peer.GetQueryResult): Promise<peer.QueryResponse> {
        const namespace = this.#options.chaincodeName;
        const collection = request.getCollection();
        const paging = pagingOf(request.getMetadata_asU8());
        if (collection === '' && paging && paging.getPagesize() > 0) {
            const page = await execution.handler.getQueryResultPage(
                request.getQuery(),
                paging.getPagesize(),
                paging.getBookmark(),
                Math.min(paging.getPagesize(), this.#options.totalQueryLimit),
            );
            return this.#pageResponse(execution, page);
        }
        const source = execution.handler.getQueryResult(collection, request.getQuery());
        return this.#openIterator(execution, source, encodeKeyValue(namespace));
    }

    /** A page, sent whole with its bookmark and `fetchedRecordsCount`. */
    #pageResponse(execution: Execution, page: RangePage): peer.QueryResponse {
        const metadata = new peer.QueryResponseMetadata();
        metadata.setFetchedRecordsCount(page.fetchedCount);
        metadata.setBookmark(page.bookmark);
        const id = String(execution.nextIteratorId++);
        return queryResponse(id, page.records.map(encodeKeyValue(this.#options.chaincodeName)), false, metadata);
    }

    async #openIterator<T>(
        execution: Execution,
        source: AsyncIterable<T>,
        encode: (item: T) => Uint8Array,
    ): Promise<peer.QueryResponse> {
        const id = String(execution.nextIteratorId++);
        const iterator = new QueryIterator<T>(
            id,
            source,
            encode,
            this.#options.batchSize,
            this.#options.totalQueryLimit,
        );
        execution.iterators.set(id, iterator as QueryIterator<unknown>);
        return this.#nextBatch(execution, iterator as QueryIterator<unknown>);
    }

    async #nextBatch(execution: Execution, iterator: QueryIterator<unknown>): Promise<peer.QueryResponse> {
        try {
            const response = await iterator.nextResponse();
            if (iterator.closed) {
                execution.iterators.delete(iterator.id);
            }
            return response;
        } catch (error) {
            execution.iterators.delete(iterator.id);
            await iterator.close().catch(() => undefined);
            throw error;
        }
    }

    async #invoke(execution: Execution, spec: peer.ChaincodeSpec): Promise<Uint8Array> {
        // The shim names another channel's chaincode as "name/channel".
        const [chaincodeName, channelId = execution.channelId] = (spec.getChaincodeId()?.getName() ?? '').split('/', 2);
        const args = spec.getInput()?.getArgsList_asU8() ?? [];
        const called = await execution.handler.invokeChaincode(chaincodeName, channelId, args);
        const response = new peer.Response();
        response.setStatus(called.status);
        response.setMessage(called.message);
        response.setPayload(called.payload);
        // The caller's shim expects the callee's COMPLETED message, wrapped in the RESPONSE.
        return newMessage(Type.COMPLETED, execution.txId, channelId, response.serializeBinary()).serializeBinary();
    }

    #send(message: peer.ChaincodeMessage): void {
        this.#options.send(message.serializeBinary());
    }
}

const EMPTY = new Uint8Array();

function newMessage(type: MessageType, txId: string, channelId: string, payload: Uint8Array): peer.ChaincodeMessage {
    const message = new peer.ChaincodeMessage();
    message.setType(type);
    message.setTxid(txId);
    message.setChannelId(channelId);
    message.setPayload(payload);
    return message;
}

/** The paging a range or rich query asks for (`QueryMetadata`), if any. */
function pagingOf(metadata: Uint8Array): peer.QueryMetadata | undefined {
    return metadata.length > 0 ? peer.QueryMetadata.deserializeBinary(metadata) : undefined;
}

/** Executions are told apart by channel and transaction, as the shim does. */
function contextKey(channelId: string, txId: string): string {
    return `${channelId}\0${txId}`;
}

function typeName(type: MessageType): string {
    return Object.keys(Type).find((name) => Type[name as keyof typeof Type] === type) ?? String(type);
}

function utf8(bytes: Uint8Array): string {
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}
