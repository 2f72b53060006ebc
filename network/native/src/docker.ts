import { NativeNetworkError } from './errors';
import type { RunDir } from './paths';
import type { Progress } from './progress';

/** The Docker variant of the network (network/docker): not wired yet. */
export async function dockerUp(_run: RunDir, _progress: Progress): Promise<void> {
    throw new NativeNetworkError('network:up --docker is not available yet');
}

export async function dockerDown(_run: RunDir, _progress: Progress, _options: { wipe: boolean }): Promise<void> {
    throw new NativeNetworkError('network:down --docker is not available yet');
}
