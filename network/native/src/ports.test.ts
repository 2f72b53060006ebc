import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkPortsFree, describePorts, planPorts } from './ports';

describe('the port plan', () => {
    it('puts the orderer at the base and each peer ten ports apart', () => {
        const plan = planPorts(['RegulatorMSP', 'CourtMSP'], 7050);
        expect(plan.orderers).toEqual([{ listen: 7050, admin: 7053, operations: 7054 }]);
        expect(planPorts(['RegulatorMSP', 'CourtMSP'], 7050, 4).orderers[3].listen).toBe(7080);
        expect(plan.peers.CourtMSP).toEqual({ listen: 8061, chaincode: 8062, operations: 8063 });
        expect(new Set(describePorts(plan).map((p) => p.port)).size).toBe(describePorts(plan).length);
    });

    it('refuses a busy port, naming it and what needed it', async () => {
        const server = net.createServer();
        await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve));
        const { port } = server.address() as net.AddressInfo;
        try {
            await expect(checkPortsFree([{ port, use: "CourtMSP's peer" }])).rejects.toThrow(
                new RegExp(`127\\.0\\.0\\.1:${port} \\(for CourtMSP's peer\\).*ZHELIAN_FABRIC_PORT_BASE`),
            );
        } finally {
            server.close();
        }
    });
});
