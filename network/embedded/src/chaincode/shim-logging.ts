/*
 * fabric-shim and fabric-contract-api log through winston, which formats every message — timestamp,
 * metadata, colours, padding, printf — and pushes it through its streams before a transport drops
 * it for its level. The shim logs a dozen debug messages per transaction, so at the default level
 * the chaincode thread spent more time formatting messages nobody sees than running the contract.
 *
 * Run in the chaincode's runner before the shim loads: every logger the shim and the contract API
 * hand out (their own, and `ctx.logging.getLogger`'s) answers a call at a level that winston's own
 * `isLevelEnabled` says no transport writes by returning at once. Whatever is written is written
 * exactly as before; raising the level later (`ctx.logging.setLevel`, a transport added with its
 * own level) is seen on the next call, since the check is made on every call.
 */

/** The part of a winston logger this touches. */
interface WinstonLogger {
    levels: Record<string, number>;
    isLevelEnabled(level: string): boolean;
    [method: string]: unknown;
}

/** fabric-shim's and fabric-contract-api's `lib/logger.js`. */
interface LoggerModule {
    getLogger(name?: string): WinstonLogger;
}

const CHECKED = Symbol('zhelian.levelChecked');

/**
 * Makes the loggers of each `lib/logger.js` module (loaded by `load`, a require relative to the
 * package that owns it) skip messages below their level before formatting. A module that cannot
 * be loaded is left alone: the chaincode then runs as it would have, only slower.
 */
export function skipMessagesBelowLevel(loggerModules: (() => unknown)[]): void {
    for (const load of loggerModules) {
        let module: LoggerModule;
        try {
            module = load() as LoggerModule;
        } catch {
            continue;
        }
        const getLogger = module.getLogger;
        if (typeof getLogger !== 'function' || CHECKED in getLogger) {
            continue;
        }
        const checkedGetLogger = (name?: string): WinstonLogger => withLevelCheck(getLogger(name));
        module.getLogger = Object.assign(checkedGetLogger, { [CHECKED]: true });
    }
}

function withLevelCheck(logger: WinstonLogger): WinstonLogger {
    if (CHECKED in logger) {
        return logger;
    }
    for (const level of Object.keys(logger.levels)) {
        const log = logger[level];
        if (typeof log !== 'function') {
            continue;
        }
        const checkedLog = function (this: WinstonLogger | undefined, ...args: unknown[]): unknown {
            const self = this ?? logger;
            return self.isLevelEnabled(level) ? (log as (...a: unknown[]) => unknown).apply(self, args) : self;
        };
        // Not enumerable: the logger's own keys stay what winston made them.
        Object.defineProperty(logger, level, { value: checkedLog, writable: true, configurable: true });
    }
    Object.defineProperty(logger, CHECKED, { value: true });
    return logger;
}
