import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { skipMessagesBelowLevel } from './shim-logging';

/** The winston that fabric-shim itself loads, and the transport base class it ships with. */
const fromShim = createRequire(createRequire(__filename).resolve('fabric-shim'));
const winston = fromShim('winston') as typeof import('winston');
const Transport = createRequire(fromShim.resolve('winston'))('winston-transport') as typeof import('winston-transport');

/** A stand-in for fabric-shim's lib/logger.js: winston loggers whose format counts what it formats. */
function loggerModule(level: string) {
    const formatted: string[] = [];
    const counting = winston.format((info) => {
        formatted.push(String(info.message));
        return info;
    });
    const written: string[] = [];
    const transport = new (class extends Transport {
        override log(info: { message: string }, done: () => void): void {
            written.push(info.message);
            done();
        }
    })();
    const loggers = new Map<string, ReturnType<typeof winston.createLogger>>();
    const module = {
        getLogger(name = '') {
            let logger = loggers.get(name);
            if (!logger) {
                logger = winston.createLogger({ level, format: counting(), transports: [transport] });
                loggers.set(name, logger);
            }
            return logger;
        },
    };
    return { module, formatted, written };
}

describe('shim loggers', () => {
    it('do not format messages below their level, and write the others as before', async () => {
        const { module, formatted, written } = loggerModule('warn');
        skipMessagesBelowLevel([() => module]);
        const logger = module.getLogger('a');
        logger.debug('quiet');
        logger.info('quiet too');
        logger.warn('loud');
        logger.error('louder');
        expect(formatted).toEqual(['loud', 'louder']);
        await new Promise((resolve) => setImmediate(resolve));
        expect(written).toEqual(['loud', 'louder']);
    });

    it('see a level raised later, and a transport with a level of its own', () => {
        const { module, formatted } = loggerModule('warn');
        skipMessagesBelowLevel([() => module]);
        const logger = module.getLogger('b');
        logger.level = 'debug';
        logger.debug('now shown');
        logger.level = 'warn';
        logger.add(new winston.transports.Console({ level: 'info', silent: true }));
        logger.info('for the new transport');
        logger.debug('for nobody');
        expect(formatted).toEqual(['now shown', 'for the new transport']);
    });

    it('are wrapped once, and a logger module that cannot load is left alone', () => {
        const { module } = loggerModule('warn');
        skipMessagesBelowLevel([() => module]);
        const getLogger = module.getLogger;
        skipMessagesBelowLevel([
            () => module,
            () => {
                throw new Error('no such module');
            },
        ]);
        expect(module.getLogger).toBe(getLogger);
        expect(Object.keys(module.getLogger('c'))).toEqual(Object.keys(winston.createLogger()));
    });
});
