'use strict';
// The smallest useful write for the embedded ledger's benchmark: one key, one value, no reads.
const { Contract } = require('fabric-contract-api');

class Bench extends Contract {
    constructor() {
        super('bench');
    }

    async put(ctx, key, value) {
        await ctx.stub.putState(key, Buffer.from(value));
    }
}

module.exports.contracts = [Bench];
