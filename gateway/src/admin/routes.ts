import path from 'node:path';
import { z } from 'zod';
import { type ChaincodeLifecycle, type LedgerMaintenance, notSupported } from '@zhelian/api';
import { route, RouteTable } from '../http/route-table';
import { zodSchema } from '../http/schema';
import type { GatewayServices } from '../services';

/**
 * The backend's own capabilities that act on the server's files: Fabric's chaincode lifecycle and
 * the embedded ledger's rebuild. For the instructor only, on loopback too; `npx zhelian` reaches
 * them through `@zhelian/remote` while the server holds the data dir. Paths are the server's:
 * absolute, or relative to its working directory.
 */

const filePath = z.string().min(1).max(4096);
const definitionFields = {
    name: z.string().min(1).max(64),
    sequence: z.number().int().min(1),
    version: z.string().min(1).max(64).optional(),
    policy: z.string().min(1).max(4096).optional(),
    collections: filePath.optional(),
};
const Definition = z.object(definitionFields).strict();
const Approve = z.object({ ...definitionFields, packageId: z.string().min(1).max(256).optional() }).strict();

const PackageBody = z.object({ packageDir: filePath, label: z.string().min(1).max(128), file: filePath }).strict();
const InstallBody = z.object({ mspId: z.string().min(1), packageFile: filePath }).strict();
const ApproveBody = z.object({ mspId: z.string().min(1), definition: Approve }).strict();
const DefinitionBody = z.object({ definition: Definition }).strict();
const DeployBody = z
    .object({
        packageDir: filePath,
        name: z.string().min(1).max(64).optional(),
        version: z.string().min(1).max(64).optional(),
        policy: z.string().min(1).max(4096).optional(),
        collections: filePath.optional(),
    })
    .strict();
const TamperBody = z
    .object({ blockNumber: z.number().int().min(0).describe('The block to change a byte of.') })
    .strict();
const InstalledQuery = z.object({ mspId: z.string().min(1) });
const CommittedQuery = z.object({ name: z.string().min(1).optional() });

const ANY = { description: 'As @zhelian/api ChaincodeLifecycle returns it.', schema: { type: 'object' } };
const TAMPER_REPORT = {
    type: 'object',
    description: 'Which stored byte was changed (as @zhelian/api TamperReport).',
    properties: {
        blockNumber: { type: 'integer' },
        txIndex: { type: 'integer' },
        txId: { type: 'string' },
        namespace: { type: 'string' },
        key: { type: 'string' },
        offsetInValue: { type: 'integer' },
        offsetInTransaction: { type: 'integer' },
        offsetInBlock: { type: 'integer' },
        oldByte: { type: 'integer' },
        newByte: { type: 'integer' },
        oldChar: { type: 'string' },
        newChar: { type: 'string' },
        tamperedAt: { type: 'string' },
    },
    required: ['blockNumber', 'txIndex', 'txId', 'namespace', 'key', 'oldByte', 'newByte', 'oldChar', 'newChar'],
};
const resolved = (file: string): string => path.resolve(file);

export function adminRoutes(services: GatewayServices): RouteTable {
    const lifecycle = (): ChaincodeLifecycle => {
        if (!services.backend.lifecycle) {
            throw notSupported('the chaincode lifecycle', services.backend.kind);
        }
        return services.backend.lifecycle;
    };
    const maintenance = (capability: string): LedgerMaintenance => {
        if (!services.backend.maintenance) {
            throw notSupported(`${capability} (the embedded ledger's maintenance capability)`, services.backend.kind);
        }
        return services.backend.maintenance;
    };
    const definitionOf = <T extends { collections?: string }>(definition: T): T => ({
        ...definition,
        ...(definition.collections ? { collections: resolved(definition.collections) } : {}),
    });
    /** A new definition changes the contracts the per-application routes come from. */
    const afterCommit = async (name: string): Promise<void> => {
        if (name === services.chaincode) {
            await services.reloadChaincode();
        }
    };
    const common = { tags: ['admin'], access: 'admin' as const, responses: { 200: ANY } };

    return new RouteTable().add(
        route<Record<string, never>, Record<string, never>, z.output<typeof PackageBody>>({
            ...common,
            method: 'post',
            path: '/api/admin/lifecycle/package',
            operationId: 'admin.lifecycle.package',
            summary: 'peer lifecycle chaincode package: writes a chaincode install package',
            body: zodSchema(PackageBody),
            async handle({ body }) {
                return lifecycle().package({
                    packageDir: resolved(body.packageDir),
                    label: body.label,
                    file: resolved(body.file),
                });
            },
        }),
        route<Record<string, never>, Record<string, never>, z.output<typeof InstallBody>>({
            ...common,
            method: 'post',
            path: '/api/admin/lifecycle/install',
            operationId: 'admin.lifecycle.install',
            summary: "peer lifecycle chaincode install: installs a package on an organization's peers",
            body: zodSchema(InstallBody),
            async handle({ body }) {
                return lifecycle().install(body.mspId, resolved(body.packageFile));
            },
        }),
        route<Record<string, never>, z.output<typeof InstalledQuery>>({
            ...common,
            method: 'get',
            path: '/api/admin/lifecycle/installed',
            operationId: 'admin.lifecycle.installed',
            summary: "peer lifecycle chaincode queryinstalled: an organization's installed packages",
            query: zodSchema(InstalledQuery),
            async handle({ query }) {
                return { installed: await lifecycle().queryInstalled(query.mspId) };
            },
        }),
        route<Record<string, never>, Record<string, never>, z.output<typeof ApproveBody>>({
            ...common,
            method: 'post',
            path: '/api/admin/lifecycle/approve',
            operationId: 'admin.lifecycle.approve',
            summary: 'peer lifecycle chaincode approveformyorg',
            body: zodSchema(ApproveBody),
            async handle({ body }) {
                await lifecycle().approve(body.mspId, definitionOf(body.definition));
                return { approved: true };
            },
        }),
        route<Record<string, never>, Record<string, never>, z.output<typeof DefinitionBody>>({
            ...common,
            method: 'post',
            path: '/api/admin/lifecycle/readiness',
            operationId: 'admin.lifecycle.readiness',
            summary: 'peer lifecycle chaincode checkcommitreadiness',
            body: zodSchema(DefinitionBody),
            async handle({ body }) {
                return lifecycle().checkCommitReadiness(definitionOf(body.definition));
            },
        }),
        route<Record<string, never>, Record<string, never>, z.output<typeof DefinitionBody>>({
            ...common,
            method: 'post',
            path: '/api/admin/lifecycle/commit',
            operationId: 'admin.lifecycle.commit',
            summary: 'peer lifecycle chaincode commit',
            body: zodSchema(DefinitionBody),
            async handle({ body }) {
                const committed = await lifecycle().commit(definitionOf(body.definition));
                await afterCommit(committed.name);
                return committed;
            },
        }),
        route<Record<string, never>, z.output<typeof CommittedQuery>>({
            ...common,
            method: 'get',
            path: '/api/admin/lifecycle/committed',
            operationId: 'admin.lifecycle.committed',
            summary: 'peer lifecycle chaincode querycommitted',
            query: zodSchema(CommittedQuery),
            async handle({ query }) {
                return { committed: await lifecycle().queryCommitted(query.name) };
            },
        }),
        route<Record<string, never>, Record<string, never>, z.output<typeof DeployBody>>({
            ...common,
            method: 'post',
            path: '/api/admin/lifecycle/deploy',
            operationId: 'admin.lifecycle.deploy',
            summary: 'Deploys (or upgrades with sequence + 1) a chaincode package directory in one step',
            body: zodSchema(DeployBody),
            async handle({ body }) {
                const deployed = await lifecycle().deploy({
                    ...body,
                    packageDir: resolved(body.packageDir),
                    ...(body.collections ? { collections: resolved(body.collections) } : {}),
                });
                await afterCommit(deployed.name);
                return deployed;
            },
        }),
        route({
            ...common,
            method: 'post',
            path: '/api/admin/rebuild',
            operationId: 'admin.rebuild',
            summary: "Re-derives world state, history and indexes from the blocks (Fabric's peer node rebuild-dbs)",
            async handle() {
                return maintenance('rebuild').rebuild();
            },
        }),
        route<Record<string, never>, Record<string, never>, z.output<typeof TamperBody>>({
            ...common,
            method: 'post',
            path: '/api/admin/tamper',
            operationId: 'admin.tamper',
            summary:
                'For the lesson on tamper detection: changes one stored byte of a block (a digit of a value it writes)',
            description:
                'Verification then names the block. Undo with POST /api/admin/tamper/undo; one tampering at a time (409 TAMPER_PENDING).',
            body: zodSchema(TamperBody),
            responses: { 200: { description: 'The byte changed.', schema: TAMPER_REPORT } },
            async handle({ body }) {
                return maintenance('tampering').tamperBlock(body.blockNumber);
            },
        }),
        route({
            ...common,
            method: 'post',
            path: '/api/admin/tamper/undo',
            operationId: 'admin.tamper.undo',
            summary: 'Puts the tampered byte back, clears the damage verification found, and verifies the ledger again',
            responses: {
                200: {
                    description: 'What was restored, and the verification after it.',
                    schema: {
                        type: 'object',
                        properties: {
                            restored: TAMPER_REPORT,
                            clearedDamage: { type: 'string' },
                            verification: { type: 'object', description: 'As GET /api/explorer/verify answers.' },
                        },
                        required: ['restored', 'verification'],
                    },
                },
            },
            async handle() {
                return maintenance('tampering').undoTamper();
            },
        }),
        route({
            ...common,
            method: 'get',
            path: '/api/admin/tamper',
            operationId: 'admin.tamper.pending',
            summary: 'The tampering not yet undone, or null',
            responses: {
                200: {
                    description: 'The pending tampering.',
                    schema: { type: 'object', properties: { pending: { oneOf: [TAMPER_REPORT, { type: 'null' }] } } },
                },
            },
            async handle() {
                return { pending: (await maintenance('tampering').pendingTamper()) ?? null };
            },
        }),
    );
}
