/** Fabric's default `peer.authentication.timewindow`: 15 minutes. */
export const DEFAULT_PROPOSAL_TIME_WINDOW_MS = 15 * 60 * 1000;

/**
 * Fabric 3's `TimeWindowCheck` auth filter (core/handlers/auth/filter/timewindow.go), which every
 * proposal passes before a peer processes it: the proposal's timestamp, set by the signing
 * client, may be at most `windowMs` from the peer's own clock, either way (bounds included).
 * Returns Fabric's refusal text, or `undefined` when the proposal is inside the window.
 *
 * ```ts
 * checkTimeWindow({ seconds: 0, nanos: 0 }, 900_000, new Date());
 * // 'request unauthorized due to incorrect timestamp 1970-01-01T00:00:00Z, peer time …, peer.authentication.timewindow 15m0s'
 * ```
 */
export function checkTimeWindow(
    timestamp: { seconds: number; nanos: number },
    windowMs: number,
    peerTime: Date,
): string | undefined {
    const proposalMs = timestamp.seconds * 1000 + timestamp.nanos / 1_000_000;
    const nowMs = peerTime.getTime();
    if (proposalMs + windowMs >= nowMs && proposalMs - windowMs <= nowMs) {
        return undefined;
    }
    return `request unauthorized due to incorrect timestamp ${rfc3339(proposalMs)}, peer time ${rfc3339(nowMs)}, peer.authentication.timewindow ${goDuration(windowMs)}`;
}

/** Go's `time.RFC3339` layout in UTC: whole seconds, `Z`. */
function rfc3339(millis: number): string {
    return new Date(Math.floor(millis / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** Go's `time.Duration.String()` for a whole number of milliseconds: `15m0s`, `1h0m0s`, `1.5s`, `500ms`. */
export function goDuration(millis: number): string {
    if (millis === 0) {
        return '0s';
    }
    if (millis < 1000) {
        return `${millis}ms`;
    }
    const hours = Math.floor(millis / 3_600_000);
    const minutes = Math.floor((millis % 3_600_000) / 60_000);
    const seconds = ((millis % 60_000) / 1000).toString();
    if (hours > 0) {
        return `${hours}h${minutes}m${seconds}s`;
    }
    return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}
