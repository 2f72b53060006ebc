'use strict';
// The smallest useful write (and read) for the benchmarks: one key, one value.
const { Contract } = require('fabric-contract-api');

class Bench extends Contract {
    constructor() {
        super('bench');
    }

    async put(ctx, key, value) {
        await ctx.stub.putState(key, Buffer.from(value));
    }

    /** The read the Fabric comparison (fabric.ts) evaluates: one key. */
    async get(ctx, key) {
        return Buffer.from(await ctx.stub.getState(key)).toString('utf8');
    }
}

module.exports.contracts = [Bench];
