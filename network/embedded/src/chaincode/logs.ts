import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';

/**
 * Chaincode output, one append-only file per chaincode under `<dir>/<chaincode>.log`, as a peer
 * keeps chaincode logs apart from what its clients see.
 */
export class ChaincodeLogs {
    readonly #dir: string;
    readonly #files = new Map<string, WriteStream>();
    #closed = false;

    constructor(dir: string) {
        this.#dir = dir;
    }

    /**
     * Appends a chaincode's output. Output that arrives after the ledger closed (a stopping
     * worker's last lines) is dropped: the data dir may already be in another's hands, or gone.
     */
    write(chaincodeName: string, text: string): void {
        if (this.#closed) {
            return;
        }
        let file = this.#files.get(chaincodeName);
        if (!file) {
            mkdirSync(this.#dir, { recursive: true });
            file = createWriteStream(path.join(this.#dir, `${chaincodeName}.log`), { flags: 'a' });
            this.#files.set(chaincodeName, file);
        }
        file.write(text);
    }

    async close(): Promise<void> {
        this.#closed = true;
        const files = [...this.#files.values()];
        this.#files.clear();
        await Promise.all(files.map((file) => new Promise((resolve) => file.end(resolve))));
    }
}
