import type { RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import { type AnyRoute, RouteTable, type RouteServices } from '../http/route-table';
import type { JsonSchema } from '../http/schema';
import type { GatewayServices } from '../services';
import { appRoutes } from './app-routes';
import { componentSchemas, fetchMetadata } from './metadata';

interface Generated {
    routes: AnyRoute[];
    router: Router;
    schemas: Record<string, JsonSchema>;
    tags: { name: string; description: string }[];
}

/**
 * The per-application routes of the server's chaincode, generated from its metadata when it is
 * deployed and again after each upgrade (new transactions get routes without a restart). Until
 * the chaincode is deployed they do not exist, and its paths answer 503.
 */
export class ChaincodeRoutes {
    readonly #services: GatewayServices;
    readonly #routeServices: RouteServices;
    readonly #log: Logger;
    #current: Generated | undefined;
    #reloading: Promise<void> = Promise.resolve();

    constructor(services: GatewayServices, routeServices: RouteServices, log: Logger) {
        this.#services = services;
        this.#routeServices = routeServices;
        this.#log = log;
    }

    /** Serves a request with the generated routes, or passes it on. */
    readonly handler: RequestHandler = (req, res, next) => {
        if (this.#current) {
            this.#current.router(req, res, next);
        } else {
            next();
        }
    };

    get routes(): AnyRoute[] {
        return this.#current?.routes ?? [];
    }

    get schemas(): Record<string, JsonSchema> {
        return this.#current?.schemas ?? {};
    }

    get tags(): { name: string; description: string }[] {
        return this.#current?.tags ?? [];
    }

    /** The router of the generated routes, to inspect (tests walk it). */
    get router(): Router | undefined {
        return this.#current?.router;
    }

    /**
     * Reads the chaincode's metadata and regenerates its routes. With `onlyIfDeployed`, a chaincode
     * not deployed yet leaves the routes waiting (503) instead of absent (404).
     */
    reload(options: { onlyIfDeployed?: boolean } = {}): Promise<void> {
        this.#reloading = this.#reloading.then(() => this.#load(options.onlyIfDeployed ?? false));
        return this.#reloading;
    }

    async #load(onlyIfDeployed: boolean): Promise<void> {
        const { status, backend, chaincode } = this.#services;
        if (!backend.describe().chaincodes.some((definition) => definition.name === chaincode)) {
            if (!onlyIfDeployed) {
                this.#current = undefined;
                status.chaincode = { name: chaincode, state: 'absent', contracts: [], skipped: [] };
            }
            return;
        }
        try {
            const network = await this.#services.connections.network(await this.#services.publicIdentity());
            const metadata = await fetchMetadata(network, chaincode);
            const generated = appRoutes(this.#services, chaincode, metadata);
            this.#current = {
                routes: generated.routes,
                router: new RouteTable().add(...generated.routes).router(this.#routeServices),
                schemas: componentSchemas(chaincode, metadata),
                tags: generated.tags,
            };
            status.chaincode = {
                name: chaincode,
                state: 'ready',
                contracts: generated.tags.map((tag) => tag.name),
                skipped: generated.skipped,
            };
            if (generated.skipped.length > 0) {
                this.#log.warn(
                    { skipped: generated.skipped },
                    "contracts named like the gateway's own routes get no per-application routes; use /api/chaincode",
                );
            }
        } catch (err) {
            this.#current = undefined;
            status.chaincode = {
                name: chaincode,
                state: 'failed',
                contracts: [],
                skipped: [],
                error: (err as Error).message,
            };
            this.#log.error({ err }, `cannot read the metadata of chaincode ${chaincode}`);
        }
    }
}
