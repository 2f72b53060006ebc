import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LedgerStore } from '../store';
import { COLLECTION_INDEX_DIR, INDEX_DIR, type IndexDefinition, parseIndexFile } from './index-definition';

/** An index file as deployed: where it came from and its text, kept so that it can be read again on open. */
interface DeployedFile {
    file: string;
    text: string;
}

/** By organization (its peer's CouchDB), then database: a chaincode's namespace, or `<ns>$$p<collection>`. */
type Deployed = Record<string, Record<string, DeployedFile[]>>;

const META_KEY = 'couchIndexes';

/**
 * The CouchDB indexes each organization's peer holds, as Fabric creates them from the chaincode
 * package that peer runs (`HandleChaincodeDeploy`): the package's
 * `META-INF/statedb/couchdb/indexes/*.json` on the chaincode's database and
 * `META-INF/statedb/couchdb/collections/<name>/indexes/*.json` on a collection's, in file-name
 * order, an index with the same design document and name replacing the earlier one. An index
 * CouchDB would refuse, or one for a collection the definition lacks, is reported and skipped, as
 * the peer logs it and goes on. Indexes are never dropped — an upgrade adds to them — and they are
 * kept in the ledger's metadata across restarts, as CouchDB keeps them.
 */
export class IndexCatalog {
    readonly #store: LedgerStore;
    readonly #deployed: Deployed;
    readonly #parsed = new Map<string, IndexDefinition[]>();

    private constructor(store: LedgerStore, deployed: Deployed) {
        this.#store = store;
        this.#deployed = deployed;
        for (const [mspId, databases] of Object.entries(deployed)) {
            for (const [database, files] of Object.entries(databases)) {
                this.#parsed.set(
                    catalogKey(mspId, database),
                    parseAll(files, () => undefined),
                );
            }
        }
    }

    static async open(store: LedgerStore): Promise<IndexCatalog> {
        return new IndexCatalog(store, (await store.getMeta<Deployed>(META_KEY)) ?? {});
    }

    /** The indexes an organization's peer has on a chaincode's state (`collection` '') or a collection. */
    indexes(mspId: string, namespace: string, collection: string): readonly IndexDefinition[] {
        return this.#parsed.get(catalogKey(mspId, databaseName(namespace, collection))) ?? [];
    }

    /** Creates the indexes of the package in `packageDir` on an organization's peer; `log` hears what was skipped. */
    async deploy(
        mspId: string,
        namespace: string,
        collections: readonly string[],
        packageDir: string,
        log: (line: string) => void,
    ): Promise<void> {
        let changed = false;
        for (const [file, text] of await readIndexFiles(packageDir)) {
            const collection = COLLECTION_INDEX_DIR.exec(file)?.[1] ?? '';
            if (collection !== '' && !collections.includes(collection)) {
                log(
                    `Error processing index for chaincode [${namespace}]: cannot create an index for an undefined collection=[${collection}]`,
                );
                continue;
            }
            const database = databaseName(namespace, collection);
            const files = ((this.#deployed[mspId] ??= {})[database] ??= []);
            if (files.some((deployed) => deployed.file === file && deployed.text === text)) {
                continue;
            }
            files.push({ file, text });
            this.#parsed.set(catalogKey(mspId, database), parseAll(files, log));
            changed = true;
        }
        if (changed) {
            await this.#store.putMeta(META_KEY, this.#deployed);
        }
    }
}

/** Later files replace earlier indexes of the same design document and name. */
function parseAll(files: readonly DeployedFile[], log: (line: string) => void): IndexDefinition[] {
    const indexes = new Map<string, IndexDefinition>();
    for (const { file, text } of files) {
        try {
            const index = parseIndexFile(file, Buffer.from(text, 'utf8'));
            indexes.set(`${index.ddoc}\u0000${index.name}`, index);
        } catch (err) {
            log(`error creating index from file [${file}]: ${(err as Error).message}`);
        }
    }
    return [...indexes.values()];
}

/** Fabric names a collection's private database `<namespace>$$p<collection>`. */
function databaseName(namespace: string, collection: string): string {
    return collection === '' ? namespace : `${namespace}$$p${collection}`;
}

function catalogKey(mspId: string, database: string): string {
    return `${mspId}\u0000${database}`;
}

/** A package's CouchDB index files, by package path, in path order as Fabric processes them. */
async function readIndexFiles(packageDir: string): Promise<[string, string][]> {
    const files: [string, string][] = [];
    const walk = async (dir: string): Promise<void> => {
        for (const entry of await readdir(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isDirectory()) {
                await walk(full);
                continue;
            }
            const file = path.relative(packageDir, full).split(path.sep).join('/');
            if (entry.isFile() && (file.startsWith(`${INDEX_DIR}/`) || COLLECTION_INDEX_DIR.test(file))) {
                files.push([file, await readFile(full, 'utf8')]);
            }
        }
    };
    const root = path.join(packageDir, 'META-INF', 'statedb', 'couchdb');
    if (existsSync(root)) {
        await walk(root);
    }
    return files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
