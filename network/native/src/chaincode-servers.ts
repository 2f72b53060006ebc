import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ccaasPackage, type ChaincodeServer } from '@zhelian/fabric';
import { NativeNetworkError } from './errors';
import type { RunDir } from './paths';
import type { ChaincodeServerRequest } from './runner';
import { startProcess } from './processes';
import { waitForPort } from './ports';

/**
 * A chaincode package run as a service: a `fabric-chaincode-node server` process started with
 * `node` (not npx: one process, the right pid), registered under the id of its
 * chaincode-as-a-service install package, which the peers dial at `address`. With `mspId`, the
 * server is that organization's alone and its chaincode's `getMspID()` answers with it, as a
 * chaincode a peer launches sees `CORE_PEER_LOCALMSPID`.
 */
export async function startChaincodeServer(run: RunDir, request: ChaincodeServerRequest): Promise<ChaincodeServer> {
    const packageDir = path.resolve(request.packageDir);
    const address = `127.0.0.1:${request.port}`;
    const ccaas = await ccaasPackage(request.label, { address });
    await mkdir(run.chaincode, { recursive: true });
    const packageFile = path.join(run.chaincode, `${request.label}.tar.gz`);
    await writeFile(packageFile, ccaas.bytes);
    const manifest = JSON.parse(await readFile(path.join(packageDir, 'package.json'), 'utf8')) as { main?: string };
    if (!manifest.main) {
        throw new NativeNetworkError(`${packageDir}/package.json names no "main": not a Fabric Node chaincode package`);
    }
    let cli: string;
    try {
        cli = createRequire(path.join(packageDir, 'package.json')).resolve('fabric-shim/cli.js');
    } catch {
        throw new NativeNetworkError(
            `${packageDir} cannot load fabric-shim: install its dependencies (npm install) before deploying it`,
        );
    }
    await startProcess(run, {
        name: `chaincode-${request.label}`,
        command: process.execPath,
        args: [cli, 'server', '--chaincode-address', address, '--chaincode-id', ccaas.packageId],
        cwd: packageDir,
        env: {
            ...process.env,
            CORE_CHAINCODE_LOGGING_LEVEL: 'info',
            ...(request.mspId ? { CORE_PEER_LOCALMSPID: request.mspId } : {}),
        },
    });
    await waitForPort(request.port, `The chaincode server for ${packageDir}`, 60_000);
    return {
        ...(request.mspId ? { mspId: request.mspId } : {}),
        packageDir,
        label: ccaas.label,
        packageId: ccaas.packageId,
        packageFile,
        address,
    };
}
