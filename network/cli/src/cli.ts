#!/usr/bin/env node
import { openBackend } from '@zhelian/api';
import { runCli } from './program';

void runCli(process.argv.slice(2), {
    openBackend,
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    onInterrupt: (listener) => {
        process.once('SIGINT', listener);
        return () => process.off('SIGINT', listener);
    },
}).then((status) => {
    process.exitCode = status;
});
