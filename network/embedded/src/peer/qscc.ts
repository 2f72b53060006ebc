import { common, peer } from '@hyperledger/fabric-protos';
import type { Block } from '../ledger/block';
import { computeHeaderHash } from '../ledger/block';
import { fabricEnvelope, toFabricBlock } from '../ledger/fabric-block';
import type { LedgerStore } from '../ledger/store';
import type { ChaincodeAnswer, SystemChaincode } from './system-chaincode';

/**
 * Fabric's query system chaincode (`core/scc/qscc`), which tools use to read a peer's ledger
 * through the ordinary Evaluate call: `GetChainInfo`, `GetBlockByNumber`, `GetBlockByHash`,
 * `GetBlockByTxID` and `GetTransactionByID`, each with the channel name as its first argument,
 * answering with Fabric's protobufs (`common.BlockchainInfo`, `common.Block`,
 * `peer.ProcessedTransaction`) and Fabric's error messages.
 *
 * ```ts
 * const info = await contract.evaluateTransaction('GetChainInfo', 'mychannel'); // on chaincode 'qscc'
 * common.BlockchainInfo.deserializeBinary(info).getHeight();
 * ```
 */
export class Qscc implements SystemChaincode {
    readonly #store: LedgerStore;
    readonly #channel: string;
    /** Header hash → block number, for the blocks below `#indexed`, filled as blocks are looked up by hash. */
    readonly #byHash = new Map<string, number>();
    #indexed = 0;

    constructor(store: LedgerStore, channel: string) {
        this.#store = store;
        this.#channel = channel;
    }

    async invoke(args: readonly Uint8Array[]): Promise<ChaincodeAnswer> {
        if (args.length < 2) {
            return failure(`Incorrect number of arguments, ${args.length}`);
        }
        const [name, channel, argument] = args.map((arg) => Buffer.from(arg).toString('utf8'));
        if (name !== 'GetChainInfo' && args.length < 3) {
            return failure(`missing 3rd argument for ${name}`);
        }
        if (channel !== this.#channel) {
            return failure(`Invalid chain ID, ${channel}`);
        }
        switch (name) {
            case 'GetChainInfo':
                return this.#chainInfo();
            case 'GetBlockByNumber':
                return this.#blockByNumber(argument);
            case 'GetBlockByHash':
                return this.#blockByHash(args[2]);
            case 'GetBlockByTxID':
                return this.#blockByTxId(argument);
            case 'GetTransactionByID':
                return this.#transactionById(argument);
            default:
                return failure(`Requested function ${name} not found.`);
        }
    }

    async #chainInfo(): Promise<ChaincodeAnswer> {
        const info = new common.BlockchainInfo();
        const height = this.#store.height;
        info.setHeight(height);
        const last = height > 0 ? await this.#store.getBlock(height - 1) : undefined;
        if (last) {
            info.setCurrentblockhash(fromHex(computeHeaderHash(last.header)));
            info.setPreviousblockhash(fromHex(last.header.previousHash));
        }
        return success(info.serializeBinary());
    }

    async #blockByNumber(text: string): Promise<ChaincodeAnswer> {
        if (!/^\d+$/.test(text)) {
            return failure(
                `Failed to parse block number with error strconv.ParseUint: parsing "${text}": invalid syntax`,
            );
        }
        const number = Number(text);
        const block = number < this.#store.height ? await this.#store.getBlock(number) : undefined;
        return block
            ? success(toFabricBlock(block).serializeBinary())
            : failure(`Failed to get block number ${text}, error no such block number [${text}] in index`);
    }

    async #blockByHash(hash: Uint8Array): Promise<ChaincodeAnswer> {
        const hex = Buffer.from(hash).toString('hex');
        let number = this.#byHash.get(hex);
        for (; number === undefined && this.#indexed < this.#store.height; this.#indexed++) {
            const block = await this.#store.getBlock(this.#indexed);
            if (block) {
                this.#byHash.set(computeHeaderHash(block.header), this.#indexed);
                number = this.#byHash.get(hex);
            }
        }
        const block = number === undefined ? undefined : await this.#store.getBlock(number);
        return block
            ? success(toFabricBlock(block).serializeBinary())
            : failure(`Failed to get block hash ${hex}, error no such block hash [${hex}] in index`);
    }

    async #blockByTxId(txId: string): Promise<ChaincodeAnswer> {
        const located = await this.#locate(txId);
        return located
            ? success(toFabricBlock(located.block).serializeBinary())
            : failure(`Failed to get block for txID ${txId}, error no such transaction ID [${txId}] in index`);
    }

    async #transactionById(txId: string): Promise<ChaincodeAnswer> {
        if (txId === '') {
            return failure('Transaction ID must not be nil.');
        }
        const located = await this.#locate(txId);
        if (!located) {
            return failure(
                `Failed to get transaction with id ${txId}, error no such transaction ID [${txId}] in index`,
            );
        }
        const processed = new peer.ProcessedTransaction();
        processed.setTransactionenvelope(
            common.Envelope.deserializeBinary(fabricEnvelope(located.block.data[located.txNum])),
        );
        processed.setValidationcode(located.block.metadata.validationCodes[located.txNum]);
        return success(processed.serializeBinary());
    }

    async #locate(txId: string): Promise<{ block: Block; txNum: number } | undefined> {
        const location = await this.#store.getTxLocation(txId);
        const block = location ? await this.#store.getBlock(location.blockNum) : undefined;
        return location && block ? { block, txNum: location.txNum } : undefined;
    }
}

function success(payload: Uint8Array): ChaincodeAnswer {
    return { status: 200, message: '', payload };
}

/** `shim.Error`: status 500 and the message. */
function failure(message: string): ChaincodeAnswer {
    return { status: 500, message, payload: new Uint8Array() };
}

function fromHex(hex: string): Uint8Array {
    return new Uint8Array(Buffer.from(hex, 'hex'));
}
