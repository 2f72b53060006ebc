import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The one dialect of the five contracts (see `lib/contract.ts`), where a type check cannot hold
 * it: the metadata the gateway and the UI are generated from, and error codes kept in constant
 * objects. Event names and record shapes are checked where they happen (`lib/lib.test.ts`, the
 * demo scenario test).
 *
 * The contract metadata as Fabric's Node runtime reports it (`org.hyperledger.fabric:GetMetadata`):
 * fabric-shim's bootstrap loads the package through its `main`, and `ChaincodeFromContract` reads
 * the decorators. The gateway's API docs and the UI are generated from it, so every transaction
 * parameter needs a description under its real name, and every transaction says what it returns.
 *
 * fabric-contract-api names parameters from the compiled function and takes their types from
 * tsc's `design:paramtypes`, which the test transform does not emit: this test reads the built
 * package (`npx tsc -b chaincode` first; `npm test` builds).
 */

const PACKAGE_DIR = path.resolve(__dirname, '..');
const CONTRACTS = ['einvoice', 'evidence', 'lottery', 'tea', 'timebank'];

interface ParameterMetadata {
    name: string;
    description: string;
    schema: { type?: string; $ref?: string };
}
interface TransactionMetadata {
    name: string;
    parameters?: ParameterMetadata[];
    returns?: object;
}
interface ContractImplementation {
    contractInstance: object;
}
interface Chaincode {
    metadata: { contracts: Record<string, { transactions: TransactionMetadata[] }> };
    contractImplementations: Record<string, ContractImplementation>;
}

/** The chaincode as `fabric-chaincode-node start` builds it, with the shim the package resolves. */
async function loadChaincode(): Promise<Chaincode> {
    process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'WARNING';
    const packageRequire = createRequire(path.join(PACKAGE_DIR, 'package.json'));
    const shimRequire = createRequire(packageRequire.resolve('fabric-shim/package.json'));
    const bootstrap = shimRequire('./lib/contract-spi/bootstrap.js');
    const ChaincodeFromContract = shimRequire('./lib/contract-spi/chaincodefromcontract.js');
    const { contracts, serializers, title, version } = bootstrap.getInfoFromContract(PACKAGE_DIR);
    const fileMetadata = await bootstrap.getMetadata(PACKAGE_DIR);
    return new ChaincodeFromContract(contracts, serializers, fileMetadata, title, version);
}

/** `Reflect` as reflect-metadata extends it when fabric-contract-api loads. */
const reflect = Reflect as typeof Reflect & {
    getMetadata(key: string, target: object, property: string): unknown;
};

/** The parameter names of a compiled method, from its source: `async issueReceipt(ctx, code, …) {`. */
function declaredParameters(method: unknown): string[] {
    const source = String(method);
    const list = /^[^(]*\(([^)]*)\)/.exec(source)?.[1] ?? '';
    return list
        .split(',')
        .map((name) => name.trim())
        .filter((name) => name !== '');
}

/**
 * What a parameter may be: text, or a whole number, which `lib/invocation.ts` accepts in decimal
 * digits only before fabric-contract-api converts it. Anything else (JSON objects, booleans) is
 * taken as a JSON string and parsed by the contract.
 */
const ARGUMENT_TYPES = ['string', 'number'];

/** The JSON schema type fabric-contract-api derives from a TypeScript parameter type. */
function schemaTypeOf(designType: unknown): string {
    return typeof designType === 'function' ? designType.name.toLowerCase() : String(designType);
}

/** One line per broken rule of one transaction, so a failure lists everything at once. */
function problemsOf(contract: string, transaction: TransactionMetadata, instance: object): string[] {
    const where = `${contract}.${transaction.name}`;
    const method = (instance as Record<string, unknown>)[transaction.name];
    const [context, ...declared] = declaredParameters(method);
    const designTypes = (reflect.getMetadata('design:paramtypes', Object.getPrototypeOf(instance), transaction.name) ??
        []) as unknown[];
    const parameters = transaction.parameters ?? [];
    const problems: string[] = [];
    if (context !== 'ctx') {
        problems.push(`${where}: the first parameter is ${context}, not ctx`);
    }
    const names = parameters.map((parameter) => parameter.name);
    if (names.join(',') !== declared.join(',')) {
        problems.push(`${where}: metadata parameters (${names.join(', ')}) differ from (${declared.join(', ')})`);
    }
    parameters.forEach((parameter, index) => {
        if (!/\S.*\.$/.test(parameter.description)) {
            problems.push(`${where}(${parameter.name}): no @Param description (a sentence ending in ".")`);
        }
        const designType = schemaTypeOf(designTypes[index + 1]);
        if (!ARGUMENT_TYPES.includes(String(parameter.schema.type ?? parameter.schema.$ref))) {
            problems.push(
                `${where}(${parameter.name}): @Param type ${parameter.schema.type ?? parameter.schema.$ref}; arguments are ${ARGUMENT_TYPES.join(' or ')}`,
            );
        }
        if (parameter.schema.type !== designType) {
            problems.push(
                `${where}(${parameter.name}): @Param type ${parameter.schema.type}, TypeScript ${designType}`,
            );
        }
    });
    if (transaction.returns === undefined) {
        problems.push(`${where}: no @Returns`);
    }
    return problems;
}

describe('contract metadata', () => {
    let chaincode: Chaincode;

    beforeAll(async () => {
        if (!existsSync(path.join(PACKAGE_DIR, 'dist', 'index.js'))) {
            throw new Error('chaincode/dist is missing: build the chaincode first (npx tsc -b chaincode)');
        }
        chaincode = await loadChaincode();
    });

    it('describes the five contracts', () => {
        expect(Object.keys(chaincode.metadata.contracts).sort()).toEqual(
            [...CONTRACTS, 'org.hyperledger.fabric'].sort(),
        );
    });

    it.each(CONTRACTS)(
        '%s: every parameter is described under its own name and type, every transaction has @Returns',
        (contract) => {
            const { transactions } = chaincode.metadata.contracts[contract];
            const instance = chaincode.contractImplementations[contract].contractInstance;
            expect(transactions.length).toBeGreaterThan(5);
            expect(transactions.flatMap((transaction) => problemsOf(contract, transaction, instance))).toEqual([]);
        },
    );
});

describe('error codes', () => {
    /** A code is defined once, as `NAME: 'E_…',` in a constant object; anywhere else it is a literal. */
    const DEFINITION = /^\s+[A-Z_]+: 'E_[A-Z_]+',$/;
    const COMMENT = /^\s*(\/\/|\/\*|\*)/;

    it('are never written as string literals where contracts and rules refuse', () => {
        const sources = readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
            .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
            .sort();
        expect(sources).toContain(path.join('einvoice', 'contract.ts'));
        const literals = sources.flatMap((file) =>
            readFileSync(path.join(__dirname, file), 'utf8')
                .split('\n')
                .map((line, index) => ({ where: `${file}:${index + 1}`, line }))
                .filter(({ line }) => !COMMENT.test(line) && /['"`]E_[A-Z_]+/.test(line) && !DEFINITION.test(line))
                .map(({ where, line }) => `${where}: ${line.trim()}`),
        );
        expect(literals).toEqual([]);
    });
});
